/// A stable rewrite the tracer applied: which formula, and the source expression it replaced.
///
/// `Interpreter.appliedRewrites` lists them (once per location and formula) so that a lint
/// can report each as a note.
public struct AppliedRewrite: Sendable {
  /// The source expression whose formula was replaced (nil for a graph built from Swift).
  public let span: SourceSpan?
  /// The formula that was recognized.
  public let rewrite: StableRewrite

  /// The written form, e.g. `log(sigmoid(x))`.
  public var pattern: String { rewrite.written }
  /// The stable form that replaced it, e.g. `logsigmoid(x)`.
  public var replacement: String { rewrite.replacement }
}
