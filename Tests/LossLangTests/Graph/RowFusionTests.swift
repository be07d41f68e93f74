import CLossKernel
import Testing

@testable import LossLang

/// Reductions over trailing axes inside fused kernels, and kernels over the same rows run
/// as one blocked chain: the plans they give and results equal to unfused execution.
@Suite("Row fusion")
struct RowFusionTests {
  /// The chains of a plan.
  static func chains(_ plan: Plan) -> [RowChain] {
    plan.steps.compactMap { step in
      if case .chain(let c) = step { return c }
      return nil
    }
  }

  /// Whether any step of the plan is a reduction primitive (one pass of its own).
  static func hasReducePrimitive(_ plan: Plan, _ live: LiveGraph) -> Bool {
    plan.steps.contains { step in
      guard case .primitive(_, let source, _, _) = step, let source else { return false }
      if case .reduce = live.order[source].op { return true }
      return false
    }
  }

  /// Fused (plan) and unfused results of `source` agree to `rtol` of each result's largest
  /// magnitude (summation orders differ); returns the plan.
  @discardableResult
  static func expectAgreement(_ interp: Interpreter, _ source: String, rtol: Double) throws -> (Plan, LiveGraph) {
    let (plan, live, pairs) = try PlanTestSupport.planAndResults(interp, source)
    for (f, u) in pairs {
      let scale = u.scalars.map(abs).max() ?? 0
      #expect(Tolerance(atol: rtol * scale).accepts(f, u), "\(source)")
    }
    return (plan, live)
  }

  @Test func perRowKernelsNeedingNoBlockRunOutsideTheChain() throws {
    // cross_entropy's per-row coefficients (from the targets and the valid count alone) run
    // before the chain, its two loss sums (full sums of per-row values) after it: inside,
    // they ran once a block. Left: the first pass, the per-row factors it feeds, the gradient.
    let interp = try Interpreter()
    let (plan, _) = try Self.expectAgreement(interp, """
      x = randn([300, 257], seed=3) * 4
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """, rtol: 1e-5)
    let chain = try #require(Self.chains(plan).first)
    #expect(chain.kernels.map(\.shape) == [[300, 257], [300, 1], [300, 257]], "\(plan)")
    let sumsOnly = plan.steps.contains { step in
      guard case .kernel(let k) = step, k.shape == [300] else { return false }
      return k.program.outputs.allSatisfy { $0.mode == UInt8(LK_SUM.rawValue) }
    }
    #expect(sumsOnly, "the loss sums run as a kernel of their own")
  }

  @Test func float64TargetsStillLeaveOneChain() throws {
    // float64 targets and logits: the prelude's ones_like and class checks make float32
    // steps over the targets, which join the chain of the logits' first pass; the count of
    // valid targets, which scales the gradient seed, needs them, so they leave the chain
    // with the count (RowChainGrouping.evictSources) and the loss and its gradient are
    // still one chain.
    let interp = try Interpreter()
    let source = """
      x = float64(randn([300, 500], seed=3))
      t = float64(floor(rand([300], seed=4) * 500))
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let (plan, _) = try Self.expectAgreement(interp, source, rtol: 1e-12)
    #expect(Self.chains(plan).count == 1, "\(plan)")
  }

  @Test(arguments: ["float32", "float64"])
  func crossEntropyWithLabelSmoothingRunsAsRowChains(dtype: String) throws {
    let interp = try Interpreter()
    let source = """
      x = \(dtype)(randn([300, 257], seed=3) * 4)
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let (plan, live) = try Self.expectAgreement(interp, source, rtol: dtype == "float32" ? 1e-5 : 1e-12)
    // The count of valid targets and the gradient seeds divided by it need only the targets:
    // they run before one chain holding the loss and its gradient, so x is read once.
    let chains = Self.chains(plan)
    try #require(chains.count == 1)
    #expect(chains.first?.kernels.contains { $0.resultShapes.contains([300, 257]) } == true, "the gradient is in the chain")
    // The loss reads each row's log-sum, so the gradient sums no seed over the rows: passes
    // over (300, 257) in x's dtype are the maximum with the log-sum-exp, the row sums, the gradient.
    let passes = chains.first?.kernels.filter { $0.shape == [300, 257] && $0.program.dtype.rawValue == dtype }
    #expect((passes?.count ?? 0) <= 3)
    #expect(!Self.hasReducePrimitive(plan, live), "row maxima and sums are kernel outputs")
  }

  @Test func longRowsSpanTilesAndBlocks() throws {
    let interp = try Interpreter()
    let source = """
      x = randn([3, 40000], seed=5) * 10
      y = log_softmax(x, axis=1)
      [y, max(x, axis=1), grad(sum(y * x), x)]
      """
    let (plan, _) = try Self.expectAgreement(interp, source, rtol: 1e-5)
    let chains = Self.chains(plan)
    try #require(!chains.isEmpty, "the rows run as chains")
    #expect(chains.allSatisfy { $0.rowsPerBlock == 1 })
  }

  @Test func tripletMarginLossFusesItsRowNorms() throws {
    let interp = try Interpreter()
    let source = """
      a = randn([700, 100], seed=6)
      p = randn([700, 100], seed=7)
      n = randn([700, 100], seed=8)
      loss = triplet_margin_loss(a, p, n, margin=1.0)
      g = grad(loss, [a, p, n])
      [loss, g[0], g[1], g[2]]
      """
    let (plan, live) = try Self.expectAgreement(interp, source, rtol: 1e-4)
    #expect(!Self.hasReducePrimitive(plan, live))
    let norms = PlanTestSupport.kernels(plan).filter { $0.shape == [700, 100] }
      .flatMap { $0.program.outputs }.filter { $0.mode == UInt8(LK_ROWSUM.rawValue) }
    #expect(norms.count == 2, "the two squared distances are row sums of one pass")
  }

  @Test func aFullSumEndsTheChainThatComputesIt() throws {
    // The formula as written: stable rewrites would plan `e / s` as a softmax.
    var options = Interpreter.Options()
    options.rewrites = false
    let interp = try Interpreter(options: options)
    // z reads the full sum s, which is complete only after the last block of its chain.
    let source = """
      x = randn([400, 300], seed=9)
      e = exp(x - max(x, axis=1, keepdims=true))
      s = sum(e)
      z = e / s + sum(e, axis=1, keepdims=true)
      [z, grad(sum(z * x), x)]
      """
    let (plan, _) = try Self.expectAgreement(interp, source, rtol: 1e-5)
    let chains = Self.chains(plan)
    try #require(!chains.isEmpty, "the rows run as chains")
    for chain in chains {
      let sums = Set(chain.kernels.flatMap { k in
        k.results.indices.filter { k.program.outputs[$0].mode == UInt8(LK_SUM.rawValue) }.map { k.results[$0] }
      })
      #expect(chain.kernels.allSatisfy { Set($0.operands).isDisjoint(with: sums) })
    }
  }

  @Test func mixedDtypesBroadcastsAndSecondOrderAgreeInChains() throws {
    let interp = try Interpreter()
    let source = """
      x = float64(randn([300, 257], seed=10))
      w = randn([257], seed=11)
      z = log_softmax(x * w, axis=1) - mean(x, axis=1, keepdims=true) + softmax(w * 2)
      y = sum(z * z) / 1000
      g = grad(y, x)
      [z, y, g, grad(sum(g * g), x)]
      """
    // w's softmax is float32: a fused row sum of float32 adds each four elements in float32
    // before float64, so its sums (and the float32 values from them) may end a float32 ulp
    // from the unfused ones.
    let (plan, _) = try Self.expectAgreement(interp, source, rtol: 1e-7)
    try #require(!Self.chains(plan).isEmpty)
  }

  @Test func noRowReductionOfAnEmptySpace() throws {
    let interp = try Interpreter()
    try Self.expectAgreement(interp, "x = zeros([0, 5])\n[sum(x, axis=1), max(zeros([4, 0]) - 1, axis=0)]", rtol: 0)
  }

  @Test func chainArgumentsAreChecked() throws {
    var program = lk_program()
    program.dtype = Int32(LK_F32.rawValue)
    #expect(lk_run_chain(nil, 1, 4) == LK_EINVAL)
    withUnsafePointer(to: &program) { p in
      var step = lk_chain_step()
      step.program = p
      #expect(lk_run_chain(&step, 1, 0) == LK_EINVAL, "rows per block must be positive")
      #expect(lk_run_chain(&step, 1, 4) == LK_EINVAL, "a program needs an output")
    }
  }
}
