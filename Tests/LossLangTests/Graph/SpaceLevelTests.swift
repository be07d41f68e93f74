import Testing

@testable import LossLang

/// Fusion levels counted per iteration space (`SpaceLevels`): kernels of one space that no
/// path through another step separates merge however long the chains of other spaces
/// between them, two kernels never each read the other, and results equal unfused ones.
@Suite("Space levels")
struct SpaceLevelTests {
  /// The kernels of `plan` over `shape` that read an input tensor of that shape.
  static func passes(over shape: [Int], in plan: Plan, _ live: LiveGraph) -> Int {
    let leaves = Set(plan.leaves.filter { live.order[$0.position].shape == shape }.map(\.slot))
    return PlanTestSupport.kernels(plan).filter { $0.shape == shape && !leaves.isDisjoint(with: $0.operands) }.count
  }

  @Test func aKernelFedByALongChainElsewhereJoinsItsSpace() throws {
    var options = Interpreter.Options()
    options.rewrites = false
    let interp = try Interpreter(options: options)
    // g's coefficient c passes through four steps of other spaces (a count, its sum, a
    // scalar kernel, a reshape); g needs nothing of x's space but the row maxima m, as
    // does the row sum of x - m: so one pass after the maxima computes both. The
    // plan-wide count put g four levels later, in a third pass over x.
    let source = """
      x = randn([300, 257], seed=3)
      t = floor(rand([300], seed=4) * 257)
      c = reshape(1 / sum(float32(t > 3)), [1, 1])
      m = max(x, axis=1, keepdims=true)
      s = sum(x - m, axis=1)
      g = exp(x - m) * c
      [s, g]
      """
    let (plan, live) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-5)
    #expect(Self.passes(over: [300, 257], in: plan, live) == 2, "\(plan)")
    #expect(RowChainPlanTests.orderProblems(plan).isEmpty)
  }

  @Test func kernelsThatWouldReadEachOtherStayApart() throws {
    let interp = try Interpreter()
    // Counted per space alone, x1 and x2 (space (40, 30)) are one kernel and y1 and y2
    // (space (40, 1)) another; but y1 reads x1's row sums and x2 reads y2, so each of the
    // two kernels would have to run before the other.
    let source = """
      a = randn([40, 30], seed=1)
      b = randn([40, 1], seed=2)
      x1 = exp(a)
      y1 = sum(x1, axis=1, keepdims=true) * 2
      y2 = exp(b)
      x2 = a * y2
      [y1, x2]
      """
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-6)
    let problems = RowChainPlanTests.orderProblems(plan)
    #expect(problems.isEmpty, "\(problems)\n\(plan)")
  }

  @Test func crossEntropyWithLabelSmoothingReadsTheLogitsInTwoPasses() throws {
    let interp = try Interpreter()
    let source = """
      x = randn([300, 257], seed=3)
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let (plan, live) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-5)
    // The row maxima and sums of exponentials, then the forward row sums and the gradient.
    #expect(Self.passes(over: [300, 257], in: plan, live) == 2, "\(plan)")
  }

  @Test(arguments: [1, 8])
  func breakingCyclesLeavesNone(rounds: Int) throws {
    let interp = try Interpreter()
    // cross_entropy counted per space has a cycle: its per-row kernel (N) reads the forward
    // row sums of the (N, C) kernel and feeds that kernel's gradient.
    let source = """
      x = randn([30, 7], seed=3)
      t = floor(rand([30], seed=4) * 7)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let (built, roots) = try PlanBuilder.build(LiveGraph(roots: PlanTestSupport.traceList(interp, source)))
    let nodes = RowUniformNarrowing.narrowed(built, roots: roots)
    let live = FusionPartition.liveNodes(nodes, roots: roots)
    var visits = 0
    let consumers = FusionPartition.consumers(nodes, live: live, visits: &visits)
    let global = FusionPartition.levels(nodes, live: live, consumers: consumers)
    let space = SpaceLevels.spaces(nodes, live: live)
    var unbroken = SpaceLevels.spaceLevels(nodes, live: live, space: space, visits: &visits)
    FusionPartition.raiseToUsers(&unbroken, nodes: nodes, live: live, consumers: consumers)
    let before = SpaceLevels.kernelsOnCycles(nodes, live: live, space: space, level: unbroken, visits: &visits)
    try #require(before.cycle.contains { $0 >= 0 }, "the space levels alone make a cycle")
    let level = SpaceLevels(nodes, live: live, consumers: consumers, global: global, rounds: rounds).level
    let after = SpaceLevels.kernelsOnCycles(nodes, live: live, space: space, level: level, visits: &visits)
    #expect(after.cycle.allSatisfy { $0 < 0 })
    // One round gives every kernel on the cycle its plan-wide levels, the (N, C) one too;
    // with more, the (N, C) kernel is kept and the smaller ones are split around it.
    let logitNodes = nodes.indices.filter { live[$0] && space[$0] >= 0 && nodes[$0].shape == [30, 7] }
    try #require(!logitNodes.isEmpty)
    #expect(logitNodes.allSatisfy { level[$0] >= 0 } == (rounds > 1))
  }

  @Test func stronglyConnectedComponentsOfAGraph() {
    // 0 → 1 → 2 → 0 is one cycle, 3 ↔ 4 another reached from it, 5 reads 4, and 6 points
    // to itself only (a component of one vertex).
    let components = StronglyConnectedComponents([[1], [2], [0, 3], [4], [3, 5], [], [6]])
    let c = components.of
    #expect(components.count == 4)
    #expect(c[0] == c[1] && c[1] == c[2])
    #expect(c[3] == c[4] && c[3] != c[0])
    #expect(Set([c[0], c[3], c[5], c[6]]).count == 4)
  }
}
