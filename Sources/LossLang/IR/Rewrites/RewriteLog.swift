/// The stable rewrites a tracer applied, in the order first applied, each location and
/// formula once (a loop applying the same rewrite 1 000 times records it once).
final class RewriteLog {
  /// The distinct rewrites applied so far.
  private(set) var applied: [AppliedRewrite] = []
  /// What `applied` holds: source file, span offsets and formula.
  private var seen: Set<Key> = []
  /// Called with each rewrite as it is first recorded, and the origin of the node it made
  /// (`--lint` reports it as a note); nil calls nothing.
  var onRecord: ((AppliedRewrite, RewriteOrigin) -> Void)?

  /// Identifies a rewrite at a location.
  private struct Key: Hashable {
    let file: ObjectIdentifier?
    let start: Int
    let end: Int
    let rewrite: StableRewrite
  }

  /// Records the rewrite `origin` describes at `span` unless it is already recorded there.
  func record(_ origin: RewriteOrigin, at span: SourceSpan?) {
    let rewrite = origin.rewrite
    let key = Key(file: span.map { ObjectIdentifier($0.file) }, start: span?.start ?? -1, end: span?.end ?? -1,
                  rewrite: rewrite)
    guard seen.insert(key).inserted else { return }
    let entry = AppliedRewrite(span: span, rewrite: rewrite)
    applied.append(entry)
    onRecord?(entry, origin)
  }

  /// Forgets every recorded rewrite.
  func removeAll() {
    applied = []
    seen = []
  }
}
