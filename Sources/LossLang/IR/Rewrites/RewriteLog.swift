/// The stable rewrites a tracer applied, in the order first applied, each location and
/// formula once (a loop applying the same rewrite 1 000 times records it once).
final class RewriteLog {
  /// The distinct rewrites applied so far.
  private(set) var applied: [AppliedRewrite] = []
  /// What `applied` holds: source file, span offsets and formula.
  private var seen: Set<Key> = []

  /// Identifies a rewrite at a location.
  private struct Key: Hashable {
    let file: ObjectIdentifier?
    let start: Int
    let end: Int
    let rewrite: StableRewrite
  }

  /// Records `rewrite` at `span` unless it is already recorded there.
  func record(_ rewrite: StableRewrite, at span: SourceSpan?) {
    let key = Key(file: span.map { ObjectIdentifier($0.file) }, start: span?.start ?? -1, end: span?.end ?? -1,
                  rewrite: rewrite)
    guard seen.insert(key).inserted else { return }
    applied.append(AppliedRewrite(span: span, rewrite: rewrite))
  }

  /// Forgets every recorded rewrite.
  func removeAll() {
    applied = []
    seen = []
  }
}
