/// One message tied to a place in the source, rendered compiler-style: an error, a
/// warning or a note.
///
/// ```
/// focal.loss:3:14: error: undefined name 'gama'
/// loss = (1-pt)^gama
///               ^~~~
/// ```
public struct Diagnostic: Sendable, CustomStringConvertible {
  /// How serious a diagnostic is: an error stops the evaluation; a warning or a note is
  /// reported and the evaluation goes on (they never change the CLI's exit status).
  public enum Severity: String, Sendable {
    /// Something went wrong; the evaluation stopped.
    case error
    /// Something is probably wrong (a numerical hazard, a surprising default).
    case warning
    /// Information about what the compiler did (a rewrite applied).
    case note
  }

  /// Where the problem is, when known.
  public let span: SourceSpan?
  /// What went wrong, in one line.
  public let message: String
  /// Error, warning or note.
  public let severity: Severity

  /// Creates a diagnostic (an error unless `severity` says otherwise).
  public init(span: SourceSpan?, message: String, severity: Severity = .error) {
    self.span = span
    self.message = message
    self.severity = severity
  }

  /// `file:line:col: error: message` (or `warning:`, `note:`), the source line and a caret
  /// under the span.
  public var description: String {
    let label = severity.rawValue
    guard let span else { return "\(label): \(message)" }
    let (line, column) = span.file.location(of: span.start)
    let text = span.file.lineText(line)
    var out = "\(span.file.path):\(line):\(column): \(label): \(message)"
    guard !text.isEmpty else { return out }
    let endLoc = span.file.location(of: span.end)
    let width = endLoc.line == line ? max(1, endLoc.column - column) : max(1, text.count - column + 1)
    let pad = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
    out += "\n" + text + "\n" + pad + "^" + String(repeating: "~", count: max(0, width - 1))
    return out
  }
}
