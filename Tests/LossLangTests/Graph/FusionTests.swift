import Testing
@testable import LossLang

/// Partitioning into fused kernels: passes over memory, results equal to unfused execution.
@Suite("Fused execution")
struct FusionTests {
  private let focal = """
    x = randn([5000], seed=1)
    t = float32(rand([5000], seed=2) < 0.1)
    loss = sigmoid_focal_loss(x, t, reduction="mean")
    """

  @Test func focalLossValueAndGradientShareOnePass() throws {
    let interp = try Interpreter()
    let nodes = try PlanTestSupport.traceList(interp, focal + "\n[loss, grad(loss, x)]")
    let plan = try Plan(LiveGraph(roots: nodes))
    let passes = PlanTestSupport.kernels(plan).filter { $0.shape == [5000] }
    #expect(passes.count == 1)
    #expect(passes.first?.program.outputs.count == 2, "the gradient stored and the loss summed")
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, focal + "\n[loss, grad(loss, x)]")
    #expect(Tolerance(rtol: 1e-5).accepts(fused, unfused))
  }

  @Test func aReductionUsedElementwiseNeedsASecondPass() throws {
    // The formula as written: with stable rewrites it would be planned as a softmax.
    var options = Interpreter.Options()
    options.rewrites = false
    let interp = try Interpreter(options: options)
    interp.bind("x", try Tensor((0..<300).map { Double($0) / 100 }, shape: [300]))
    let source = "exp(x) / sum(exp(x))"
    let kernels = PlanTestSupport.kernels(try Plan(LiveGraph(roots: [PlanTestSupport.trace(interp, source)])))
    #expect(kernels.filter { $0.shape == [300] }.count == 2)
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, source)
    #expect(Tolerance(rtol: 1e-6).accepts(fused, unfused))
  }

  @Test func kernelsBeyondTheRegisterLimitAreSplit() throws {
    let interp = try Interpreter()
    let terms = (1...80).map { "randn([50], seed=\($0)) * \($0)" }.joined(separator: " + ")
    let plan = try Plan(LiveGraph(roots: [PlanTestSupport.trace(interp, terms)]))
    #expect(PlanTestSupport.kernels(plan).count > 1)
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, terms)
    #expect(Tolerance(rtol: 1e-5).accepts(fused, unfused))
  }

  @Test func mixedDtypesAndBroadcastsAgreeWithUnfused() throws {
    let interp = try Interpreter()
    let source = """
      a = randn([4, 1, 3], seed=1)
      b = float64(randn([5, 1], seed=2))
      c = where(a > 0, a * b, exp(b) - 1e-300)
      g = grad(sum(c * c), [a, b])
      [c, sum(c), g[0], g[1]]
      """
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, source)
    #expect(fused.count == 4)
    #expect(Tolerance(rtol: 1e-12).accepts(fused, unfused))
  }

  @Test func aTinyFloat64ConditionIsNotNarrowedToZero() throws {
    let interp = try Interpreter()
    interp.bind("c", try Tensor([1e-300, 0], shape: [2], dtype: .float64))
    interp.bind("a", try Tensor([2, 2], shape: [2]))
    let (fused, _) = try PlanTestSupport.bothWays(interp, "where(c, a * 3, a - 5)")
    #expect(fused.first?.scalars == [6, -3])
  }

  @Test func anInterruptStopsBetweenKernels() throws {
    let interp = try Interpreter()
    let node = try PlanTestSupport.trace(interp, "exp(randn([10], seed=1))")
    interp.interruptHandle.interrupt()
    #expect(throws: LossLangError.self) { try Executor.materialize(node, context: interp.context) }
  }
}
