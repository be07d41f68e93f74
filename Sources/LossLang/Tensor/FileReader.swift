import Foundation

/// Reads whole files for `load`, `load_csv`, `import` and `Interpreter.runFile`, refusing
/// what a read could never finish or would not fit before reading a byte.
///
/// The file is opened without blocking (a FIFO with no writer cannot hold the reader) and
/// must be a regular file (`/dev/zero` and pipes never end); its size, known up front, must
/// fit both `TensorStorage.maxBytes` and the evaluation's ``AllocationBudget``, which is
/// charged while the bytes are held.
enum FileReader {
  /// The bytes of the regular file at `path`; failures are I/O errors with the reason.
  static func read(path: String, budget: AllocationBudget? = AllocationBudget.current) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw TensorError("cannot open '\(path)': \(systemError())", kind: .io) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw TensorError("cannot read '\(path)': \(systemError())", kind: .io) }
    guard info.st_mode & S_IFMT == S_IFREG else {
      throw TensorError("cannot read '\(path)': not a regular file", kind: .io)
    }
    let size = Int(info.st_size)
    guard size <= TensorStorage.maxBytes else {
      throw TensorError(
        "cannot read '\(path)': the file has \(size) bytes, the limit is \(TensorStorage.maxBytes)", kind: .io)
    }
    try budget?.charge(size)
    defer { budget?.credit(size) }
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let n = bytes.withUnsafeMutableBytes { buffer in
        buffer.baseAddress.map { Foundation.read(fd, $0 + done, size - done) } ?? 0
      }
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else { throw TensorError("cannot read '\(path)': \(systemError())", kind: .io) }
      if n == 0 { break }  // the file shrank since `fstat`
      done += n
    }
    bytes.removeLast(size - done)
    return bytes
  }

  /// The description of the current `errno`, e.g. "No such file or directory".
  private static func systemError() -> String {
    String(cString: strerror(errno))
  }
}
