import Testing

@testable import LossLang

/// The power rule with a constant exponent (no zero-exponent case when the exponent is known
/// to be nonzero; a float32 literal's `c - 1` folded) gives `c·x^(c-1)` exactly as the
/// general rule does, keeps second-order gradients, and records fewer nodes.
@Suite struct PowerRuleTests {

  @Test(arguments: ["float32", "float64"], ["2", "3", "0.5", "-1", "1", "0", "2.5"])
  func matchesTheGeneralFormula(_ dtype: String, _ c: String) throws {
    // Odd length, a strided view, zeros and negatives (NaN where the power is undefined).
    let x = "x = \(dtype)([1.5, -0.5, 2.0, 0.0, 3.0, 0.25, -2.0])[::2]\n"
    let rule = x + "print(grad(sum(x ^ \(c) * [1, 2, 3, 4]), x))"
    // The general rule, written out: where(c == 0, 0, g·c·x^(c-1)) with g = [1, 2, 3, 4].
    let formula = x + "e = \(dtype)(\(c))\nprint(where(\(c) == 0, \(dtype)(0), [1, 2, 3, 4] * (e * x ^ \(dtype)(\(c) - 1))))"
    #expect(try printedOutput(rule) == printedOutput(formula), "\(dtype) x^\(c)")
  }

  @Test func aFloat64ExponentStillGetsSecondOrderGradients() throws {
    // d/dk Σ ∂(x^k)/∂x = Σ x^(k-1) (1 + k·ln x): the exponent stays in the graph.
    let source = "k = 3.0\nx = float64([0.5, 1.5, 2.0])\ng = grad(sum(x ^ k), x)\n"
      + "print(grad(sum(g), k), sum(x ^ (k - 1) * (1 + k * log(x))))"
    let out = try printedOutput(source).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    #expect(out.count == 2 && Tolerance(rtol: 1e-12).accepts(out[0], out[1]))
  }

  @Test func aLiteralExponentRecordsNoZeroCase() throws {
    let interp = try Interpreter()
    interp.bind("x", try Tensor([1, 2, 3], shape: [3], dtype: .float32))
    let y = try PlanTestSupport.trace(interp, "sum(x ^ 2)")
    let x = try #require(try PlanTestSupport.trace(interp, "x") as Node?)
    let g = try interp.evaluator.tracer.gradients(of: y, wrt: [x])
    let ops = Node.topologicalOrder(from: g).map(\.op.name)
    #expect(!ops.contains("where") && !ops.contains("equal") && !ops.contains("add"), "\(ops)")
    #expect(try Executor.materialize(g[0], context: interp.context).scalars == [2, 4, 6])
  }
}
