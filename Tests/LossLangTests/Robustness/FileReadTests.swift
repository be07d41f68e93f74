import Foundation
import Testing

@testable import LossLang

/// File reads (`load`, `load_csv`, `import`, `runFile`) refuse what is not a regular file
/// at once — `/dev/zero` read forever, a FIFO blocked — and charge the bytes to the budget.
@Suite struct FileReadTests {
  /// A FIFO with no writer, in a fresh scratch directory.
  static func fifo() throws -> String {
    let path = try TestScratch.subdirectory("fifo-").appendingPathComponent("pipe").path
    try #require(mkfifo(path, 0o600) == 0, "mkfifo failed")
    return path
  }

  func expectError(_ interp: Interpreter, _ source: String, _ message: String, kind: LossLangError.Kind = .io) {
    let start = Date()
    do {
      try interp.eval(source)
      Issue.record("\(source) succeeded")
    } catch let e as LossLangError {
      #expect(e.kind == kind && e.message == message, "\(source): \(e)")
    } catch {
      Issue.record("\(source): unexpected error \(error)")
    }
    #expect(Date().timeIntervalSince(start) < 5, "\(source) took too long")
  }

  @Test(arguments: ["load", "load_csv"])
  func devZeroIsRefused(_ builtin: String) throws {
    var options = Interpreter.Options()
    options.limits.maxTotalBytes = 1 << 20
    let interp = try Interpreter(options: options)
    expectError(interp, "\(builtin)(\"/dev/zero\")", "cannot read '/dev/zero': not a regular file")
  }

  @Test func fifoDoesNotBlock() throws {
    let fifo = try Self.fifo()
    let interp = try Interpreter()
    expectError(interp, "load(\"\(fifo)\")", "cannot read '\(fifo)': not a regular file")
    expectError(interp, "load_csv(\"\(fifo)\")", "cannot read '\(fifo)': not a regular file")
    expectError(interp, "import \"\(fifo)\"", "cannot read '\(fifo)': not a regular file")
    do {
      try interp.runFile(fifo)
      Issue.record("runFile of a FIFO succeeded")
    } catch let e as LossLangError {
      #expect(e.kind == .io && e.message == "cannot read '\(fifo)': not a regular file", "\(e)")
    }
  }

  @Test func directoryIsRefused() throws {
    let directory = try TestScratch.subdirectory("dir-").path
    expectError(try Interpreter(), "load(\"\(directory)\")", "cannot read '\(directory)': not a regular file")
  }

  /// A file larger than what is left of the budget is refused before it is read.
  @Test func bytesAreCharged() throws {
    let file = try TestScratch.subdirectory("csv-").appendingPathComponent("big.csv")
    try String(repeating: "1,2,3\n", count: 1000).write(to: file, atomically: true, encoding: .utf8)
    var options = Interpreter.Options()
    options.limits.maxTotalBytes = 4096
    let interp = try Interpreter(options: options)
    do {
      try interp.eval("load_csv(\"\(file.path)\")")
      Issue.record("a 6000-byte file was read under a 4096-byte budget")
    } catch let e as LossLangError {
      #expect(e.kind == .limitExceeded && e.message.contains("allocation limit exceeded"), "\(e)")
    }
    #expect(interp.budget?.used ?? -1 < 4096, "the refused read stayed charged")
  }
}
