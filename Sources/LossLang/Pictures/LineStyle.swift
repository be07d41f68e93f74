/// How a line series is drawn, by matplotlib's format strings: a solid (`"-"`), dashed
/// (`"--"`) or dotted (`":"`) line, or markers alone (`"o"`).
enum LineStyle: String, Sendable, Equatable, CaseIterable {
  case solid = "-"
  case dashed = "--"
  case dotted = ":"
  case markers = "o"

  /// The style a format string names, or an error listing the accepted ones.
  static func parse(_ text: String) throws(LossLangError) -> LineStyle {
    guard let style = LineStyle(rawValue: text) else {
      let accepted = allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
      throw LossLangError(.runtime, "unknown line style \"\(text)\"; expected one of \(accepted)")
    }
    return style
  }
}
