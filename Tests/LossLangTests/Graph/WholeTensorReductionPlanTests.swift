import Testing

@testable import LossLang

/// Reductions over all elements of values the planner computes row by row, as in `max(e)`
/// for `e = x - max(x, axis=1, keepdims=true)`: a kernel computes such a maximum as one row
/// output spanning all its rows, so it cannot run block of rows by block; it runs outside
/// every row chain, and the results equal unfused ones, with stable rewrites and without.
@Suite("Whole-tensor reductions of row values")
struct WholeTensorReductionPlanTests {
  /// The row-wise value `e` of (400, 300) logits of `dtype`, then `tail`.
  static func program(_ tail: String, dtype: String = "float32") -> String {
    """
    x = \(dtype)(randn([400, 300], seed=9))
    e = x - max(x, axis=1, keepdims=true)
    \(tail)
    """
  }

  /// Reductions over all elements of `e`, values and gradients, float32 and float64.
  static let sources =
    [
      "max(e)", "min(e)", "sum(e)", "mean(e)", "argmax(e)", "argmin(e)", "max(exp(e))", "max(e, axis=[0, 1])",
      "max(x - max(x))", "softmax(reshape(e, [120000]), axis=0)", "[e, max(e), sum(e, axis=1)]",
      "[max(e), grad(max(e), x)]", "[min(e), grad(min(e), x)]", "[mean(e), grad(mean(e), x)]",
      "s = softmax(reshape(e, [120000]), axis=0)\n[s, grad(sum(s * reshape(x, [120000])), x)]",
    ].map { program($0) }
    + ["max(e)", "[max(exp(e)), grad(max(exp(e)), x)]"].map { program($0, dtype: "float64") }

  /// The kernels of `plan`'s row chains with a row output spanning several rows of the
  /// kernel's space (the chain runner rejects them).
  static func rowSpanningKernels(_ plan: Plan) -> [KernelStep] {
    RowFusionTests.chains(plan).flatMap(\.kernels).filter { kernel in
      let perRow = kernel.shape.dropFirst().reduce(1, *)
      return kernel.program.rowLength > 0 && perRow % kernel.program.rowLength != 0
    }
  }

  /// Plans `source` and checks its results against unfused ones and its chains.
  static func expectRowChainsKeepRowsApart(_ source: String, rewrites: Bool, rtol: Double) throws {
    var options = Interpreter.Options()
    options.rewrites = rewrites
    let interp = try Interpreter(options: options)
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: rtol)
    #expect(rowSpanningKernels(plan).isEmpty, "\(source)\n\(plan)")
  }

  @Test(arguments: sources, [true, false])
  func reductionsOverAllElementsRunOutsideRowChains(_ source: String, rewrites: Bool) throws {
    try Self.expectRowChainsKeepRowsApart(source, rewrites: rewrites, rtol: 1e-5)
  }

  @Test func theRowWisePartStillRunsAsAChain() throws {
    // log_softmax is a chain of row kernels; the kernel computing the maximum over all of
    // its result leaves the chain, the row maxima and sums before it stay.
    let interp = try Interpreter()
    let source = "x = randn([400, 300], seed=9)\ny = log_softmax(x, axis=1)\n[y, max(y), grad(max(y), x)]"
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-5)
    try #require(!RowFusionTests.chains(plan).isEmpty, "\(plan)")
    #expect(Self.rowSpanningKernels(plan).isEmpty, "\(plan)")
  }

  @Test func randomShapesAndReductionsAgreeWithUnfused() throws {
    var random = SeededGenerator(seed: 16)
    for _ in 0..<8 {
      // At least `RowChain.minElements` elements, so that the rows run as chains.
      let rows = Int.random(in: 2...700, using: &random)
      let columns = max(RowChain.minElements / rows + 1, Int.random(in: 1...300, using: &random))
      let threeAxes = random.chance(0.5)
      let shape = threeAxes ? "[\(rows), 1, \(columns)]" : "[\(rows), \(columns)]"
      let axis = threeAxes ? 2 : 1
      let rowValue = random.pick([
        "x - max(x, axis=\(axis), keepdims=true)", "log_softmax(x, axis=\(axis))",
        "exp(x - max(x, axis=\(axis), keepdims=true)) * 2",
      ])
      let reduction = random.pick(["max", "min", "sum", "mean"])
      let source = """
        x = \(random.pick(["float32", "float64"]))(randn(\(shape), seed=\(rows)))
        e = \(rowValue)
        [e, \(reduction)(e), grad(\(reduction)(e * e), x)]
        """
      try Self.expectRowChainsKeepRowsApart(source, rewrites: random.chance(0.5), rtol: 1e-4)
    }
  }
}
