import Foundation
import Testing

@testable import LossLang

/// `Interpreter.Options.lint` for an embedding host: hazards reach `onWarning` as warnings
/// at the expression, once per place; without the option nothing is inspected.
@Suite struct LintOptionTests {
  /// Runs `source` in an interpreter with `lint` as given; the warnings it delivered.
  func warnings(_ source: String, lint: Bool) throws -> [Diagnostic] {
    var options = Interpreter.Options()
    options.lint = lint
    let interp = try Interpreter(options: options)
    let box = WarningBox()
    interp.onWarning = { box.items.append($0) }
    interp.output = { _ in }
    try interp.run(source, path: "h.loss")
    return box.items
  }

  @Test func aHazardReachesTheHandlerAtItsExpression() throws {
    let found = try warnings("p = [0.0, 0.5]\nfor i in 0..<3 { print(sum(log(p))) }\n", lint: true)
    let d = try #require(found.first)
    #expect(found.count == 1)
    #expect(d.severity == .warning)
    #expect(d.message == "`log` of 0 at 1 of 2 elements gives -inf")
    #expect(d.span?.line == 2 && d.span?.column == 28)
  }

  @Test func withoutLintNothingIsReported() throws {
    let source = "p = [0.0, 0.5]\nprint(sum(log(p)) / 0, 0.1 + 0.2 == 0.3, mean(zeros(0)))\n"
    #expect(try warnings(source, lint: false).isEmpty)
    #expect(try warnings(source, lint: true).map(\.message) == [
      "`mean` over no elements (a tensor of shape [0]) gives NaN",
      "`log` of 0 at 1 of 2 elements gives -inf",
      "division by 0 gives inf or NaN",
      "`==` between floats (0.30000000000000004 and 0.3) compares exactly",
    ])
  }

  @Test func lintedValuesEqualPlannedOnes() throws {
    var options = Interpreter.Options()
    options.lint = true
    let linted = try Interpreter(options: options)
    let plain = try Interpreter()
    let source = "x = float64([0.2, 1.5, 3.0])\ngrad(mean(sqrt(x) * log(x) / (x + 1)), x)"
    let a = try #require(try linted.eval(source).tensor)
    let b = try #require(try plain.eval(source).tensor)
    #expect(a.scalars == b.scalars)
  }
}
