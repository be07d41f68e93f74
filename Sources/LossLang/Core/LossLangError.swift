/// The one error type the LossLang library throws: what went wrong, where, and how the CLI exits.
///
/// A syntax error may carry several diagnostics (the parser recovers and keeps going);
/// a runtime error carries one.
public struct LossLangError: Error, Sendable, CustomStringConvertible {
  /// The category of an error, which fixes the CLI's exit status.
  public enum Kind: Sendable {
    /// Malformed source text or a static error found before running (exit 65).
    case syntax
    /// An error while evaluating: shapes, names, arguments, assertions (exit 70).
    case runtime
    /// A file could not be read or written (exit 74).
    case io
    /// The command line was wrong (exit 64).
    case usage
    /// A resource limit was exceeded: time, steps, call depth, tensor size or memory (exit 70).
    case limitExceeded
  }

  /// The category.
  public let kind: Kind
  /// The messages, each with its source span when known.
  public internal(set) var diagnostics: [Diagnostic]

  /// Creates an error with one diagnostic.
  public init(_ kind: Kind, _ message: String, span: SourceSpan? = nil) {
    self.kind = kind
    self.diagnostics = [Diagnostic(span: span, message: message)]
  }

  /// Creates an error from several diagnostics (used by the parser).
  init(kind: Kind, diagnostics: [Diagnostic]) {
    self.kind = kind
    self.diagnostics = diagnostics
  }

  /// The first message, without location.
  public var message: String { diagnostics.first?.message ?? "" }

  /// The exit status the CLI uses for this error (sysexits.h, as Crafting Interpreters).
  public var exitCode: Int32 {
    switch kind {
    case .usage: 64
    case .syntax: 65
    case .runtime, .limitExceeded: 70
    case .io: 74
    }
  }

  /// Every diagnostic rendered with its source line and caret, one after another.
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }

  /// Returns this error located at `span` if it has no location yet.
  func located(at span: SourceSpan?) -> LossLangError {
    guard let span, diagnostics.count == 1, diagnostics[0].span == nil else { return self }
    var copy = self
    copy.diagnostics = [Diagnostic(span: span, message: diagnostics[0].message)]
    return copy
  }
}
