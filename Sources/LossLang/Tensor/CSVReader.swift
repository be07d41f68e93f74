// Why our own CSV parser and not a package (issue 13, item 5; both candidates were built
// here and fed the cases): swiftcsv/SwiftCSV 0.10 keeps the BOM in the first cell,
// ends rows at any Unicode newline (`Character.isNewline`: `1,2<U+2028>3,4` gave no rows),
// drops everything after an unclosed quote without an error, and its errors carry no position. yaslab/CSV.swift 2.5
// strips the BOM only when reading a stream, silently takes `"1"x` as the cell `1"x`, turns an
// unclosed quote into one cell holding the rest of the file, and reports no line or column.
// Every bad cell here must be an error with its physical line and column, which neither can
// give without re-scanning the file ourselves. Both resolve from the package mirror, but
// `CSVRecords` is about 100 lines, does exactly RFC 4180 plus those positions, and needs no
// dependency fetched at build time.

/// Reads a numeric CSV file into a 2-D float32 tensor of shape `[rows, columns]`.
///
/// Records come from `CSVRecords` (RFC 4180: BOM, CRLF/CR/LF, quoted cells). Every cell of a
/// data row must be a decimal number as NumPy's `loadtxt` reads one. Row 1 is a header, and
/// skipped, only when none of its cells is a number or starts like one (a digit after an
/// optional sign or point, as in `0x10` or `١٢`), so a row of numbers in another notation is an
/// error rather than a lost row. Blank lines are ignored. A file with no data rows gives shape
/// `[0, columns]` (`[0, 0]` if empty). Errors name the file, the physical line and the column.
enum CSVReader {
  /// Reads and parses the file at `path`; open failures are I/O errors.
  static func read(path: String) throws -> Tensor {
    try parse(FileReader.read(path: path), name: path)
  }

  /// Parses CSV bytes; `name` labels error messages.
  static func parse(_ bytes: [UInt8], name: String) throws -> Tensor {
    var records = CSVRecords(bytes, name: name)
    var values: [Double] = []
    var columns: Int?
    while let cells = try records.next() {
      if cells.count == 1, !cells[0].quoted, cells[0].bytes.isEmpty { continue }
      if columns == nil, cells.allSatisfy({ isColumnName($0.bytes) }) {
        columns = cells.count
        continue
      }
      if let expected = columns, expected != cells.count {
        throw TensorError("'\(name)' line \(cells[0].line): row has \(cells.count) columns, expected \(expected)")
      }
      columns = cells.count
      for (offset, cell) in cells.enumerated() {
        guard let value = decimalValue(cell.bytes) else {
          throw TensorError("'\(name)' line \(cell.line), column \(offset + 1): \(problem(cell.text))")
        }
        values.append(value)
      }
    }
    let width = columns ?? 0
    return try Tensor(values, shape: [width == 0 ? 0 : values.count / width, width], dtype: .float32)
  }

  /// What is wrong with a cell that is not a decimal number; the cell is shown on one line
  /// (line breaks as `\n`, `\r`) and cut after 40 characters.
  private static func problem(_ text: String) -> String {
    if text.isEmpty { return "empty cell" }
    var shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
    shown = shown.unicodeScalars.map { $0 == "\n" ? "\\n" : $0 == "\r" ? "\\r" : String($0) }.joined()
    return startsLikeNumber(text) ? "'\(shown)' is not a decimal number" : "'\(shown)' is not a number"
  }

  /// Whether a cell of row 1 reads as a column name: neither a number nor number-like.
  static func isColumnName(_ cell: ArraySlice<UInt8>) -> Bool {
    decimalValue(cell) == nil && !startsLikeNumber(String(decoding: cell, as: UTF8.self))
  }

  /// Whether `text`, after spaces, an optional sign and an optional point, starts with a
  /// digit of any script.
  private static func startsLikeNumber(_ text: String) -> Bool {
    var rest = text.drop(while: { $0 == " " || $0 == "\t" })
    if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
    if rest.first == "." { rest = rest.dropFirst() }
    return rest.first?.isWholeNumber ?? false
  }

  /// The value of a cell holding a decimal number as NumPy's `loadtxt` reads one, nil for
  /// anything else: ASCII digits with an optional sign, point and exponent, or `nan`, `inf`,
  /// `infinity` in any case with an optional sign; spaces and tabs around it are allowed.
  static func decimalValue(_ cell: ArraySlice<UInt8>) -> Double? {
    var number = cell
    while let first = number.first, isBlank(first) { number = number.dropFirst() }
    while let last = number.last, isBlank(last) { number = number.dropLast() }
    var unsigned = number
    if let sign = unsigned.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { unsigned = unsigned.dropFirst() }
    if isDecimal(unsigned) { return Double(String(decoding: number, as: UTF8.self)) }
    guard unsigned.count <= 8 else { return nil }
    switch String(decoding: unsigned, as: UTF8.self).lowercased() {
    case "nan": return .nan
    case "inf", "infinity": return number.first == UInt8(ascii: "-") ? -.infinity : .infinity
    default: return nil
    }
  }

  private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

  /// Whether `s` is `digits[.digits][e[sign]digits]` with at least one mantissa digit.
  private static func isDecimal(_ s: ArraySlice<UInt8>) -> Bool {
    var i = s.startIndex
    func digitRun() -> Int {
      let from = i
      while i < s.endIndex, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") { i += 1 }
      return i - from
    }
    var mantissa = digitRun()
    if i < s.endIndex, s[i] == UInt8(ascii: ".") {
      i += 1
      mantissa += digitRun()
    }
    guard mantissa > 0 else { return false }
    if i < s.endIndex, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
      i += 1
      if i < s.endIndex, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
      guard digitRun() > 0 else { return false }
    }
    return i == s.endIndex
  }
}
