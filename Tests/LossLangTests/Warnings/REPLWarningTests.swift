import Foundation
import Testing

/// The REPL shows warnings (and, with `--lint`, hazards) under the input that raised them,
/// and the session goes on.
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

  @Test func lintsEachInputWithLint() throws {
    let t = try start(arguments: ["--lint"])
    let shown = try enter("sum(log([0.0, 1.0]))", in: t)
    #expect(shown.contains("<repl>:1:5: warning: `log` of 0 at 1 of 2 elements gives -inf"), "\(shown)")
    #expect(shown.contains("\n-inf\n"), "\(shown)")
  }
}
