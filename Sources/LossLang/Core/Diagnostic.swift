/// One error message tied to a place in the source, rendered compiler-style.
///
/// ```
/// focal.loss:3:14: error: undefined name 'gama'
/// loss = (1-pt)^gama
///               ^~~~
/// ```
public struct Diagnostic: Sendable, CustomStringConvertible {
  /// Where the problem is, when known.
  public let span: SourceSpan?
  /// What went wrong, in one line.
  public let message: String

  /// Creates a diagnostic.
  public init(span: SourceSpan?, message: String) {
    self.span = span
    self.message = message
  }

  /// `file:line:col: error: message`, the source line and a caret under the span.
  public var description: String {
    guard let span else { return "error: \(message)" }
    let (line, column) = span.file.location(of: span.start)
    let text = span.file.lineText(line)
    var out = "\(span.file.path):\(line):\(column): error: \(message)"
    guard !text.isEmpty else { return out }
    let endLoc = span.file.location(of: span.end)
    let width = endLoc.line == line ? max(1, endLoc.column - column) : max(1, text.count - column + 1)
    let pad = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
    out += "\n" + text + "\n" + pad + "^" + String(repeating: "~", count: max(0, width - 1))
    return out
  }
}
