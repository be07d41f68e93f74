/// A set of places in source texts (``SourcePlace``), each with a tag: answers "was this
/// already seen here?" for reporting something once per source location (``WarningLog``,
/// ``Linter``).
///
/// The source texts named are kept alive, so their identities stay unique while the set lives.
struct SourcePlaces<Tag: Hashable> {
  /// What identifies one entry.
  private struct Key: Hashable {
    let place: SourcePlace
    let tag: Tag
  }

  /// The entries inserted so far.
  private var seen: Set<Key> = []
  /// The source texts named by `seen`.
  private var files: [ObjectIdentifier: SourceFile] = [:]

  /// Inserts the place where `span` starts with `tag`; whether it was new.
  mutating func insert(_ span: SourceSpan?, _ tag: Tag) -> Bool {
    let place = SourcePlace(span)
    guard seen.insert(Key(place: place, tag: tag)).inserted else { return false }
    if let file = place.file, let span { files[file] = span.file }
    return true
  }

  /// Whether the place where `span` starts was inserted with `tag`.
  func contains(_ span: SourceSpan?, _ tag: Tag) -> Bool {
    seen.contains(Key(place: SourcePlace(span), tag: tag))
  }
}
