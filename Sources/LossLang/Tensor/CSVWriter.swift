/// Writes a tensor of at most two dimensions as CSV text that `CSVReader` and NumPy's
/// `loadtxt(path, delimiter=",")` read back exactly.
///
/// Each value is written in the shortest form that reads back to the same number of its
/// dtype (`0.1` for a float32 0.1, `nan`, `inf`); a 1-D tensor is one column, as NumPy's
/// `savetxt` writes it. An optional header line names the columns (RFC 4180 quoting).
enum CSVWriter {
  /// The CSV text of `t`, with `header` as its first line when given.
  static func text(_ t: Tensor, header: [String]?) throws -> String {
    guard t.shape.count <= 2 else {
      throw TensorError("save_csv: x must have at most 2 dimensions, got shape \(t.shape)")
    }
    let columns = t.shape.count == 2 ? t.shape[1] : 1
    let rows = t.shape.isEmpty ? 1 : t.shape[0]
    var out = ""
    if let header {
      guard header.count == columns else {
        throw TensorError("save_csv: header has \(header.count) name\(header.count == 1 ? "" : "s") but x has \(columns) column\(columns == 1 ? "" : "s")")
      }
      if let number = header.first(where: { !CSVReader.isColumnName(ArraySlice($0.utf8)) }) {
        throw TensorError("save_csv: header name '\(number)' would read back as a number, not a name")
      }
      out += header.map(quoted).joined(separator: ",") + "\n"
    }
    for r in 0..<rows {
      let cells = (0..<columns).map { c in TensorFormatter.scalar(t[flat: r * columns + c], dtype: t.dtype) }
      out += cells.joined(separator: ",") + "\n"
    }
    return out
  }

  /// Writes `t` to `path`, replacing the file.
  static func write(_ t: Tensor, header: [String]?, path: String) throws {
    try NpyFormat.writeFile(Array(text(t, header: header).utf8), path: path)
  }

  /// A header cell, in double quotes when it is empty, holds a comma, a quote or a line
  /// break, or starts or ends with a space or tab (which an unquoted cell loses).
  private static func quoted(_ name: String) -> String {
    let blank: (Character?) -> Bool = { $0 == " " || $0 == "\t" }
    let plain = !name.isEmpty && !blank(name.first) && !blank(name.last)
      && !name.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
    guard !plain else { return name }
    return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
