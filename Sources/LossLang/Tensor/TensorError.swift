/// An error raised below the interpreter: a shape mismatch, a bad index, an allocation
/// that cannot be satisfied, a limit reached, or a malformed file.
///
/// It carries a message and a kind; the interpreter adds the source location and turns it
/// into a ``LossLangError`` (``located(at:)``).
struct TensorError: Error, Sendable {
  /// What kind of failure this is, which fixes the CLI's exit status.
  enum Kind: Sendable {
    /// Bad input to an operation: shapes, indices, values.
    case invalid
    /// A file could not be read or written (CLI exit 74).
    case io
    /// A resource limit was reached: memory, elements (``LossLangError/Kind/limitExceeded``).
    case limit
  }

  /// What went wrong.
  let message: String
  /// The kind of failure.
  let kind: Kind

  init(_ message: String, kind: Kind = .invalid) {
    self.message = message
    self.kind = kind
  }

  /// This error as the library's public error, at `span` when known.
  func located(at span: SourceSpan? = nil) -> LossLangError {
    switch kind {
    case .invalid: LossLangError(.runtime, message, span: span)
    case .io: LossLangError(.io, message, span: span)
    case .limit: LossLangError(.limitExceeded, message, span: span)
    }
  }
}
