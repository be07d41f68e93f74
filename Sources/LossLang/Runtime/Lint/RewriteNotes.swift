/// The stable rewrites `--lint` reports as notes (docs/lint.md, "Rewrites"): each rewrite
/// the tracer records waits here until the statement tracing it ends (or a warning is
/// about to be shown), so that a hand-written BCE, whose two logs are rewritten before the
/// sum that makes it a BCE, is reported once, as a BCE.
struct RewriteNotes {
  /// The rewrites recorded and not yet reported, in the order recorded.
  private var pending: [AppliedRewrite] = []

  /// Takes a rewrite the tracer just recorded; a BCE replaces the notes of the two logs
  /// inside it that are still pending.
  mutating func recorded(_ applied: AppliedRewrite, _ origin: RewriteOrigin) {
    if applied.rewrite == .binaryCrossEntropy {
      let logs = (origin.operands + origin.interior).filter { node in
        node.rewrite.map { $0.rewrite == .logSigmoid || $0.rewrite == .logOneMinusSigmoid } ?? false
      }
      pending.removeAll { entry in
        logs.contains { $0.rewrite?.rewrite == entry.rewrite && Self.samePlace($0.span, entry.span) }
      }
    }
    pending.append(applied)
  }

  /// The pending rewrites, in order, as (message, span) notes; none pending afterwards.
  mutating func take() -> [(message: String, span: SourceSpan?)] {
    defer { pending = [] }
    return pending.map { (Self.message($0.rewrite), $0.span) }
  }

  /// Whether two spans cover the same bytes of the same source text.
  private static func samePlace(_ a: SourceSpan?, _ b: SourceSpan?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.file === b.file && a.start == b.start && a.end == b.end
  }

  /// The note for `rewrite`: the formula as written, the stable one computed, and why.
  static func message(_ rewrite: StableRewrite) -> String {
    let why: String
    switch rewrite {
    case .logSigmoid: why = "which stays finite where sigmoid rounds to 0"
    case .logOneMinusSigmoid: why = "which stays finite where sigmoid rounds to 1"
    case .logSoftmax: why = "which stays finite and exact where softmax rounds to 0"
    case .logSumExp: why = "which subtracts the maximum first, so exp cannot overflow to inf"
    case .softmax: why = "which subtracts the maximum first, so exp cannot overflow to inf / inf"
    case .log1p: why = "which keeps a small x that 1 + x rounds away"
    case .expm1: why = "which keeps a small x that exp(x) rounds away to 1"
    case .binaryCrossEntropy: why = "the binary cross-entropy from the logits, which stays finite where sigmoid rounds to 0 or 1"
    }
    return "\(rewrite.written) computed as \(rewrite.replacement), \(why)"
  }
}
