/// Placing short texts (titles, labels) in a fixed number of terminal columns, one column
/// per `Character`.
enum TextFitting {
  /// `text` if it fits in `width` columns, else its first `width - 1` characters and `…`
  /// (nothing when `width` is below 1).
  static func fit(_ text: String, width: Int) -> String {
    guard width > 0 else { return "" }
    return text.count <= width ? text : String(text.prefix(width - 1)) + "…"
  }

  /// The first column of a text `length` columns long centred over the columns
  /// `left ..< left + span`, moved left or right as needed to stay within `0 ..< width`.
  static func centred(length: Int, left: Int, span: Int, width: Int) -> Int {
    max(0, min(left + (span - length) / 2, width - length))
  }
}
