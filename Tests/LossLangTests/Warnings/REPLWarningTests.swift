import Foundation
import Testing

/// The REPL shows warnings under the input that raised them, and the session goes on.
extension REPLTests {
  @Test func showsAWarningAndKeepsTheValue() throws {
    let t = try start()
    let shown = try enter("kl_div(log([0.5, 0.5]), [0.5, 0.5])", in: t)
    #expect(shown.contains("<repl>:1:1: warning: \(WarningHandlerTests.klDivMean)"), "\(shown)")
    #expect(shown.contains("\n0.0\n"), "\(shown)")
    // Each input is its own source text: the same warning shows again.
    #expect(try enter("kl_div(log([0.5, 0.5]), [0.5, 0.5])", in: t).contains("warning: kl_div: reduction 'mean'"))
    #expect(try enter("1 + 1", in: t).contains("\n2\n"))
  }
}
