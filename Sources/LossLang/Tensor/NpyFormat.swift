import Foundation
import CLossKernel

/// Reads and writes NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Floats keep their precision (`<f8` becomes float64, `<f4` float32), bool arrays (`|b1`)
/// stay bool, integer arrays become float32. Only C-order arrays of a plain numeric dtype
/// are accepted.
enum NpyFormat {
  /// The six magic bytes that start every `.npy` file: `\x93NUMPY`.
  private static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

  /// Decodes the bytes of a `.npy` file into a tensor.
  static func decode(_ bytes: [UInt8]) throws -> Tensor {
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw TensorError("not a .npy file: bad magic bytes")
    }
    let major = bytes[6]
    let headerStart: Int
    let headerLength: Int
    switch major {
    case 1:
      headerStart = 10
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    case 2, 3:
      guard bytes.count >= 12 else { throw TensorError("truncated .npy header") }
      headerStart = 12
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
    default:
      throw TensorError("unsupported .npy format version \(major).\(bytes[7])")
    }
    let dataStart = headerStart + headerLength
    guard dataStart <= bytes.count else { throw TensorError("truncated .npy header") }
    let header = try parseHeader(Array(bytes[headerStart..<dataStart]))
    let count = try Tensor.elementCount(header.shape)
    let (needed, overflow) = count.multipliedReportingOverflow(by: header.element.size)
    guard !overflow, needed <= bytes.count - dataStart else {
      throw TensorError(
        "truncated .npy data: shape \(header.shape) needs \(needed) bytes, file has \(bytes.count - dataStart)")
    }
    let dtype: DType = switch (header.element.kind, header.element.size) {
    case (.float, 8): .float64
    case (.bool, _): .bool
    default: .float32
    }
    let tensor = try Tensor(uninitialized: header.shape, dtype: dtype)
    bytes.withUnsafeBytes { raw in
      for i in 0..<count {
        tensor[flat: i] = header.element.load(raw, at: dataStart + i * header.element.size)
      }
    }
    return tensor
  }

  /// Encodes a tensor as a version 1.0 `.npy` file, byte-identical to what `numpy.save` writes.
  static func encode(_ t: Tensor) -> [UInt8] {
    let descr = switch t.dtype {
    case .float32: "<f4"
    case .float64: "<f8"
    case .bool: "|b1"
    }
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': "
      + TensorFormatter.pythonTuple(t.shape) + ", }"
    if let first = t.shape.first {
      header += String(repeating: " ", count: max(0, 21 - String(first).utf8.count))
    }
    let headerLength = header.utf8.count + 1
    let padding = 64 - (10 + headerLength) % 64
    var bytes = magic + [1, 0]
    let total = headerLength + padding
    bytes += [UInt8(truncatingIfNeeded: total), UInt8(truncatingIfNeeded: total >> 8)]
    bytes += Array(header.utf8) + Array(repeating: 0x20, count: padding) + [0x0A]
    let size = t.dtype == .bool ? 1 : t.dtype.itemSize
    let start = bytes.count
    bytes += Array(repeating: 0, count: t.count * size)
    bytes.withUnsafeMutableBytes { raw in
      for i in 0..<t.count {
        switch t.dtype {
        case .float32:
          raw.storeBytes(of: Float(t[flat: i]).bitPattern.littleEndian, toByteOffset: start + i * size, as: UInt32.self)
        case .float64:
          raw.storeBytes(of: t[flat: i].bitPattern.littleEndian, toByteOffset: start + i * size, as: UInt64.self)
        case .bool:
          raw.storeBytes(of: t[flat: i] != 0 ? 1 : 0, toByteOffset: start + i, as: UInt8.self)
        }
      }
    }
    return bytes
  }

  /// Reads a `.npy` file; open and read failures are I/O errors.
  static func read(path: String) throws -> Tensor {
    try decode(FileReader.read(path: path))
  }

  /// Writes a tensor to a `.npy` file; failures are I/O errors.
  static func write(_ t: Tensor, path: String) throws {
    try writeFile(encode(t), path: path)
  }

  // MARK: - Files

  /// Writes bytes to a file, replacing it, reporting the system's reason on failure (shared with `CSVWriter`).
  static func writeFile(_ bytes: [UInt8], path: String) throws {
    guard let file = fopen(path, "wb") else {
      throw TensorError("cannot open '\(path)' for writing: \(systemError())", kind: .io)
    }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let closed = fclose(file)
    guard written == bytes.count, closed == 0 else {
      throw TensorError("cannot write '\(path)': \(systemError())", kind: .io)
    }
  }

  /// The description of the current `errno`, e.g. "No such file or directory".
  private static func systemError() -> String {
    String(cString: strerror(errno))
  }

  // MARK: - Header

  /// The parsed header: element type and shape.
  private struct Header {
    let element: Element
    let shape: [Int]
  }

  /// An on-disk element type that LossLang can read.
  private struct Element {
    enum Kind { case float, signed, unsigned, bool }
    let kind: Kind
    let size: Int
    let bigEndian: Bool

    /// Parses a descr such as `<f4`, `>f8`, `|b1` or `<i8`; nil if unsupported.
    init?(descr: String) {
      let chars = Array(descr)
      guard chars.count >= 3, let size = Int(String(chars[2...])) else { return nil }
      switch (chars[1], size) {
      case ("f", 4), ("f", 8): kind = .float
      case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
      case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
      case ("b", 1): kind = .bool
      default: return nil
      }
      switch chars[0] {
      case "<", "=": bigEndian = false
      case ">": bigEndian = true
      case "|" where size == 1: bigEndian = false
      default: return nil
      }
      self.size = size
    }

    /// Loads one element at a byte offset as a Double.
    func load(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Double {
      var bits: UInt64 = 0
      for i in 0..<size {
        let byte = UInt64(raw[offset + (bigEndian ? i : size - 1 - i)])
        bits = bits << 8 | byte
      }
      switch kind {
      case .float:
        return size == 4 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
      case .signed:
        let shift = UInt64(64 - 8 * size)
        return Double(Int64(bitPattern: bits << shift) >> Int64(shift))
      case .unsigned:
        return Double(bits)
      case .bool:
        return bits == 0 ? 0 : 1
      }
    }
  }

  /// Parses the Python-dict header, checking its keys and values.
  private static func parseHeader(_ bytes: [UInt8]) throws -> Header {
    var parser = PyLiteralParser(bytes: bytes)
    guard case .dict(let entries)? = try? parser.parseValue() else {
      throw TensorError("malformed .npy header: expected a Python dict")
    }
    var fields: [String: PyLiteral] = [:]
    for (key, value) in entries { fields[key] = value }
    guard let descrValue = fields["descr"], case .bool(let fortran)? = fields["fortran_order"],
      case .tuple(let dims)? = fields["shape"]
    else {
      throw TensorError("malformed .npy header: needs 'descr', 'fortran_order' and 'shape'")
    }
    guard case .string(let descr) = descrValue else {
      throw TensorError("unsupported .npy dtype: structured arrays are not supported")
    }
    guard let element = Element(descr: descr) else {
      throw TensorError("unsupported .npy dtype '\(descr)': expected float32/float64/int/uint/bool")
    }
    guard !fortran else {
      throw TensorError("unsupported .npy layout: fortran_order True (save a C-order array)")
    }
    var shape: [Int] = []
    for dim in dims {
      guard case .int(let d) = dim, d >= 0 else { throw TensorError("malformed .npy header: bad shape") }
      shape.append(d)
    }
    // Loaded, such a tensor would fail at its first operation, far from the file.
    guard shape.count <= Int(LK_MAX_DIMS) else {
      throw TensorError("unsupported .npy shape: \(shape.count) dimensions, at most \(LK_MAX_DIMS) are supported")
    }
    return Header(element: element, shape: shape)
  }
}

/// A value in the small Python-literal subset used by `.npy` headers.
private enum PyLiteral {
  case string(String)
  case int(Int)
  case bool(Bool)
  case none
  case tuple([PyLiteral])
  case dict([(String, PyLiteral)])
}

/// A recursive-descent parser for Python literals: dicts, tuples, lists, strings, ints, bools.
private struct PyLiteralParser {
  /// The literal's bytes.
  let bytes: [UInt8]
  /// The read position.
  var pos = 0
  /// How deeply containers nest; bounded to keep hostile headers from exhausting the stack.
  var depth = 0

  /// The error for any syntax problem (the caller reports it as a malformed header).
  struct SyntaxError: Error {}

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// Skips spaces, tabs and newlines.
  mutating func skipSpace() {
    while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
  }

  /// Consumes `byte` (after spaces) if it is next.
  mutating func accept(_ byte: UInt8) -> Bool {
    skipSpace()
    guard pos < bytes.count, bytes[pos] == byte else { return false }
    pos += 1
    return true
  }

  /// Parses one value.
  mutating func parseValue() throws -> PyLiteral {
    skipSpace()
    guard pos < bytes.count, depth < 32 else { throw SyntaxError() }
    switch bytes[pos] {
    case UInt8(ascii: "{"):
      pos += 1
      depth += 1
      defer { depth -= 1 }
      var entries: [(String, PyLiteral)] = []
      while !accept(UInt8(ascii: "}")) {
        guard case .string(let key) = try parseValue(), accept(UInt8(ascii: ":")) else { throw SyntaxError() }
        entries.append((key, try parseValue()))
        if !accept(UInt8(ascii: ",")) {
          guard accept(UInt8(ascii: "}")) else { throw SyntaxError() }
          break
        }
      }
      return .dict(entries)
    case UInt8(ascii: "("), UInt8(ascii: "["):
      let close = bytes[pos] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
      pos += 1
      depth += 1
      defer { depth -= 1 }
      var items: [PyLiteral] = []
      while !accept(close) {
        items.append(try parseValue())
        if !accept(UInt8(ascii: ",")) {
          guard accept(close) else { throw SyntaxError() }
          break
        }
      }
      return .tuple(items)
    case UInt8(ascii: "'"), UInt8(ascii: "\""):
      let quote = bytes[pos]
      pos += 1
      let start = pos
      while pos < bytes.count, bytes[pos] != quote { pos += 1 }
      guard pos < bytes.count else { throw SyntaxError() }
      pos += 1
      return .string(String(decoding: bytes[start..<(pos - 1)], as: UTF8.self))
    default:
      return try parseWord()
    }
  }

  /// Parses `True`, `False`, `None` or an integer (a Python 2 `L` suffix is allowed).
  mutating func parseWord() throws -> PyLiteral {
    let start = pos
    while pos < bytes.count, isWordByte(bytes[pos]) { pos += 1 }
    let word = String(decoding: bytes[start..<pos], as: UTF8.self)
    switch word {
    case "True": return .bool(true)
    case "False": return .bool(false)
    case "None": return .none
    default:
      let digits = word.hasSuffix("L") ? String(word.dropLast()) : word
      guard let n = Int(digits) else { throw SyntaxError() }
      return .int(n)
    }
  }

  /// Whether a byte can be part of a bare word (letters, digits, sign).
  func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2B
  }
}
