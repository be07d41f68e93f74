/// Warnings and notes from the runtime: one function reports them (``Evaluator/warn(_:at:severity:)``),
/// through the interpreter's ``WarningLog``, to the host's handler (``Interpreter/onWarning``).
extension Evaluator {
  /// Reports a warning (or note) at `span`, once per location (see ``WarningLog``).
  ///
  /// A span inside the standard library (a prelude function called from the host, with no
  /// user expression around it) is dropped: the message stands without a location. When
  /// linting, the notes of rewrites applied before it come first.
  func warn(_ message: String, at span: SourceSpan?, severity: Diagnostic.Severity = .warning) {
    if linter != nil { reportRewrites() }
    let located = span.flatMap { Self.isStdlib($0) ? nil : $0 }
    warnings.report(Diagnostic(span: located, message: message, severity: severity))
  }
}

extension Arguments {
  /// Reports a warning at the current builtin call: the user's call expression (for a
  /// builtin called inside the standard library, the user's call into it), as errors are located.
  func warn(_ message: String) {
    evaluator.warn(message, at: evaluator.tracer.span)
  }
}
