/// One cell of a CSV record: its UTF-8 bytes (quotes removed, `""` unescaped, surrounding
/// spaces and tabs of an unquoted cell trimmed) and the physical line it starts on.
struct CSVCell {
  let bytes: ArraySlice<UInt8>
  let line: Int
  let quoted: Bool

  /// The cell's text.
  var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Splits CSV bytes into records of cells as RFC 4180 describes, tracking physical lines.
///
/// A leading UTF-8 byte-order mark is skipped. Records end at CRLF, CR or LF (mixed freely).
/// A cell in double quotes may hold commas, line breaks and `""` (one quote); spaces and tabs
/// around any cell are allowed. Lines count every line break of the file, those inside
/// quoted cells included, so positions match what an editor shows.
struct CSVRecords {
  private let bytes: [UInt8]
  private let name: String
  private var index = 0
  private var line = 1

  init(_ bytes: [UInt8], name: String) {
    self.bytes = bytes
    self.name = name
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
  }

  /// The next record's cells (at least one), or nil at the end of the input.
  mutating func next() throws -> [CSVCell]? {
    guard index < bytes.count else { return nil }
    var cells: [CSVCell] = []
    while true {
      cells.append(try cell(column: cells.count + 1))
      guard index < bytes.count else { return cells }
      let terminator = bytes[index]
      index += 1
      if terminator != UInt8(ascii: ",") {
        endLine(after: terminator)
        return cells
      }
    }
  }

  /// Reads one cell, leaving `index` at its terminator (a comma, a line break or the end).
  private mutating func cell(column: Int) throws -> CSVCell {
    skipBlanks()
    let startLine = line
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
      let start = index
      while index < bytes.count, !isTerminator(bytes[index]) { index += 1 }
      var end = index
      while end > start, isBlank(bytes[end - 1]) { end -= 1 }
      return CSVCell(bytes: bytes[start..<end], line: startLine, quoted: false)
    }
    let content = try quotedContent(line: startLine, column: column)
    skipBlanks()
    if index < bytes.count, !isTerminator(bytes[index]) {
      throw TensorError("'\(name)' line \(line), column \(column): text after the closing quote of a quoted cell")
    }
    return CSVCell(bytes: content, line: startLine, quoted: true)
  }

  /// Reads a quoted cell's content from its opening quote through its closing quote.
  private mutating func quotedContent(line startLine: Int, column: Int) throws -> ArraySlice<UInt8> {
    index += 1
    var content: [UInt8] = []
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if byte == UInt8(ascii: "\"") {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
          return content[...]
        }
        index += 1
      } else if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r") && !startsWithLF(index)) {
        line += 1
      }
      content.append(byte)
    }
    throw TensorError("'\(name)' line \(startLine), column \(column): quoted cell is not closed")
  }

  /// Counts the line break `terminator` (just consumed), taking the LF of a CRLF with it.
  private mutating func endLine(after terminator: UInt8) {
    if terminator == UInt8(ascii: "\r"), startsWithLF(index) { index += 1 }
    line += 1
  }

  /// Whether the byte at `position` is an LF (the second half of a CRLF).
  private func startsWithLF(_ position: Int) -> Bool {
    position < bytes.count && bytes[position] == UInt8(ascii: "\n")
  }

  private mutating func skipBlanks() {
    while index < bytes.count, isBlank(bytes[index]) { index += 1 }
  }

  private func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

  private func isTerminator(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
  }
}
