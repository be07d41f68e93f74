/// The warnings and notes an interpreter reported, and where they go: each is delivered to
/// ``handler`` once per source location.
///
/// The rule: a diagnostic is delivered once per interpreter for each (source text, start of
/// its span, severity, message). The same warning raised again at the same place — by a
/// loop, or a function called many times from one call site — is dropped; the same message
/// at another place, or in another source text (each REPL input, `run` or `eval` is one), is
/// delivered. A diagnostic without a location is delivered once per message.
struct WarningLog {
  /// What a diagnostic is, besides its place.
  private struct Tag: Hashable {
    let severity: Diagnostic.Severity
    let message: String
  }

  /// Where delivered diagnostics go; nil drops them.
  var handler: ((Diagnostic) -> Void)?
  /// The diagnostics delivered so far.
  private var delivered = SourcePlaces<Tag>()

  /// Delivers `diagnostic` to the handler unless one like it was delivered before.
  mutating func report(_ diagnostic: Diagnostic) {
    guard delivered.insert(diagnostic.span, Tag(severity: diagnostic.severity, message: diagnostic.message)) else { return }
    handler?(diagnostic)
  }
}
