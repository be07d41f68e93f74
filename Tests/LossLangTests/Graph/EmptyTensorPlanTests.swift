import Testing

@testable import LossLang

/// Plans over tensors with a size-0 axis: every step runs after the steps computing what it
/// reads (a kernel over 0 rows computes values too, though it has no row width), and fused
/// results equal unfused ones.
@Suite("Plans over empty tensors")
struct EmptyTensorPlanTests {
  /// Graphs mixing empty kernels with primitives and reductions that read their outputs.
  static let sources = [
    "sum(zeros([0]) * 2)",
    "mean((zeros([0]) - ones([0]))^2)",
    "log_softmax(zeros([0, 3]), axis=1)",
    "x = zeros([0, 3]); [sum(exp(x) * 2, axis=1), max(x * 3, axis=1), reshape(x + 1, [3, 0])]",
    "x = zeros([4, 0]); [sum(x * 2, axis=1), logsumexp(x + 1, axis=1), softmax(x, axis=1)]",
    "x = zeros([0, 3]); grad(sum(log_softmax(x * 2, axis=1)), x)",
    "x = zeros([0, 3]); w = ones([3, 2]); [x @ w, grad(sum(tanh(x @ w)), [x, w])[1]]",
    "x = zeros([0, 5]); t = zeros([0]); cross_entropy(x, t, label_smoothing=0.1)",
  ]

  /// The slots a step fills.
  static func results(_ step: Plan.Step) -> [Int] {
    switch step {
    case .kernel(let k): k.results
    case .chain(let c): c.kernels.flatMap(\.results) + c.views.map(\.slot)
    case .primitive(let node, _, _, _): [node]
    }
  }

  @Test(arguments: sources)
  func everyStepReadsOnlyComputedValues(_ source: String) throws {
    let interp = try Interpreter()
    let plan = try Plan(LiveGraph(roots: try PlanTestSupport.traceList(interp, source)))
    var available = Set(plan.leaves.map(\.slot) + plan.literals.map(\.slot))
    for (k, step) in plan.steps.enumerated() {
      let missing = step.reads.filter { !available.contains($0) }
      #expect(missing.isEmpty, "step \(k) of `\(source)` reads slots \(missing) before they are computed")
      available.formUnion(Self.results(step))
    }
    #expect(plan.roots.allSatisfy(available.contains), "`\(source)`: a root is never computed")
  }

  /// A compiled loss (`BoundPlan`, reusing buffers) over an empty batch gives what the
  /// interpreter gives, call after call (`b[0]` does not exist in an empty batch).
  @Test(arguments: BoundPlanTests.expressions.filter { !$0.contains("[0]") })
  func compiledLossOnAnEmptyBatch(_ expression: String) throws {
    let interp = try Interpreter()
    let type = TensorType(shape: [0, 5])
    let loss = try interp.compile(expression, inputs: ["a": type, "b": type])
    let a = try Tensor([], shape: [0, 5]), b = try Tensor([], shape: [0, 5])
    let expected = try BoundPlanTests().reference(expression, a: a, b: b)
    for _ in 0..<2 {
      let (value, grads) = try loss.valueAndGradient(["a": a, "b": b], wrt: ["a", "b"])
      let result = try [value, #require(grads["a"]), #require(grads["b"])]
      #expect(Tolerance.exact.accepts(result, expected), "\(expression)")
    }
  }

  @Test(arguments: sources)
  func fusedAgreesWithUnfused(_ source: String) throws {
    let interp = try Interpreter()
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, source)
    #expect(fused.count == unfused.count)
    for (f, u) in zip(fused, unfused) {
      #expect(Tolerance(rtol: 1e-6).accepts(f, u), "`\(source)`: fused \(f.shape) \(f.scalars), unfused \(u.shape) \(u.scalars)")
    }
  }
}
