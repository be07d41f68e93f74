import Testing

@testable import LossLang

/// Expects evaluating `source` in `interp` to throw a `.limitExceeded` error whose message
/// contains `message`.
func expectLimitExceeded(
  _ interp: Interpreter, _ source: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  do {
    try interp.eval(source)
    Issue.record("\(source) ran without hitting the limit", sourceLocation: sourceLocation)
  } catch let e as LossLangError {
    #expect(e.kind == .limitExceeded, "\(source): \(e)", sourceLocation: sourceLocation)
    #expect(e.message.contains(message), "\(source): \(e)", sourceLocation: sourceLocation)
  } catch {
    Issue.record("\(source): unexpected error \(error)", sourceLocation: sourceLocation)
  }
}
