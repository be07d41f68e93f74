/// Where something happened in the source, for reporting it once per location: a source text
/// (by identity: each REPL input, `run` or `eval` is its own) and the byte offset of a span's
/// start in it. No span is a place of its own.
struct SourcePlace: Hashable {
  /// The source text.
  let file: ObjectIdentifier?
  /// The byte offset.
  let start: Int

  /// The place where `span` starts.
  init(_ span: SourceSpan?) {
    file = span.map { ObjectIdentifier($0.file) }
    start = span?.start ?? 0
  }
}
