/// Reads a numeric CSV file into a 2-D float32 tensor of shape `[rows, columns]`.
///
/// Cells are separated by commas and may be padded with spaces or wrapped in double
/// quotes. A first row that is not all numbers is taken as a header and skipped; blank
/// lines are ignored. A file with no data rows gives shape `[0, columns]` (`[0, 0]` if empty).
enum CSVReader {
  /// Reads and parses the file at `path`; open failures are I/O errors.
  static func read(path: String) throws -> Tensor {
    try parse(FileReader.read(path: path), name: path)
  }

  /// Parses CSV bytes; `name` labels error messages.
  static func parse(_ bytes: [UInt8], name: String) throws -> Tensor {
    let text = String(decoding: bytes, as: UTF8.self)
    var values: [Double] = []
    var columns: Int?
    var isFirstRow = true
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    for (index, line) in lines.enumerated() {
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(cleanCell)
      let numbers = cells.map { Double($0) }
      if isFirstRow {
        isFirstRow = false
        if numbers.contains(where: { $0 == nil }) {
          columns = cells.count
          continue
        }
      }
      let lineNumber = index + 1
      if let expected = columns, expected != cells.count {
        throw TensorError("'\(name)' line \(lineNumber): row has \(cells.count) columns, expected \(expected)")
      }
      columns = cells.count
      for (column, number) in numbers.enumerated() {
        guard let number else {
          let what = cells[column].isEmpty ? "empty cell" : "'\(cells[column])' is not a number"
          throw TensorError("'\(name)' line \(lineNumber), column \(column + 1): \(what)")
        }
        values.append(number)
      }
    }
    let width = columns ?? 0
    return try Tensor(values, shape: [width == 0 ? 0 : values.count / width, width], dtype: .float32)
  }

  /// Trims spaces and tabs, then one pair of surrounding double quotes.
  private static func cleanCell(_ cell: Substring) -> Substring {
    var s = cell.drop(while: { $0 == " " || $0 == "\t" })
    while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
    if s.count >= 2, s.first == "\"", s.last == "\"" { s = s.dropFirst().dropLast() }
    return s
  }
}
