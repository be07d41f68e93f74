import CLossKernel
import Testing

@testable import LossLang

/// `TransposeFolding`: a 2-D transpose read only elementwise, by reductions and by a transpose
/// back is folded away, its row reductions becoming column outputs of the kernel reading the
/// untransposed value; the plans it gives, and results equal to unfused execution.
@Suite("Transpose folding")
struct TransposeFoldingTests {
  /// The shapes of the plan's `permute` primitives.
  static func permutes(_ plan: Plan, _ live: LiveGraph) -> [[Int]] {
    plan.steps.compactMap { step in
      guard case .primitive(_, let source?, _, _) = step, case .permute = live.order[source].op else { return nil }
      return live.order[source].shape
    }
  }

  /// The output modes of a kernel.
  static func modes(_ kernel: KernelStep) -> Set<UInt32> { Set(kernel.program.outputs.map { UInt32($0.mode) }) }

  /// The plan of `source`, checked against unfused execution within `tolerance`.
  static func agreeing(_ source: String, _ tolerance: Tolerance) throws -> (Plan, LiveGraph) {
    try OnePassLogSumExpTests.expectAgreement(try Interpreter(), source, tolerance)
  }

  static func tolerance(_ dtype: String) -> Tolerance {
    dtype == "float32" ? Tolerance(rtol: 2e-5, atol: 1e-6) : Tolerance(rtol: 1e-12, atol: 1e-14)
  }

  @Test(arguments: ["float32", "float64"])
  func clipLossReadsTheLogitsTwiceWithoutTransposingThem(dtype: String) throws {
    let (plan, live) = try Self.agreeing("""
      a = \(dtype)(randn([300, 24], seed=1))
      b = \(dtype)(randn([300, 24], seed=2))
      loss = clip_loss(a, b, temperature=0.07)
      g = grad(loss, [a, b])
      [loss, g[0], g[1]]
      """, Self.tolerance(dtype))
    #expect(!Self.permutes(plan, live).contains([300, 300]), "a transpose of the logits is copied")
    // One pass over the logits: row and column maxima and sums of exponentials together.
    let both: Set<UInt32> = [LK_ROWMAX.rawValue, LK_ROWSUMEXP.rawValue, LK_COLMAX.rawValue, LK_COLSUMEXP.rawValue]
    let passes = PlanTestSupport.kernels(plan).filter { both.isSubset(of: Self.modes($0)) }
    try #require(passes.count == 1, "no kernel computes the row and column log-sum-exp together")
    // The product is read by that pass and by the one writing the gradient, and nothing else.
    let product = try #require(passes[0].operands.first)
    let readers = PlanTestSupport.kernels(plan).filter { $0.operands.contains(product) }
    #expect(readers.count == 2, "the logits are read by \(readers.count) kernels")
  }

  @Test(arguments: ["float32", "float64"])
  func reductionsOfATransposeAreColumnOutputs(dtype: String) throws {
    // Column 5 of x holds a -inf, column 6 is only -inf, column 7 a NaN, column 8 a +inf.
    let (plan, live) = try Self.agreeing("""
      base = \(dtype)(randn([90, 70], seed=3) * 5)
      z0 = \(dtype)(zeros([1]))
      row = reshape(arange(90), [90, 1])
      col = reshape(arange(70), [1, 70])
      x = where((col == 5) * (row == 40), -1 / z0, base)
      x = where(col == 6, -1 / z0, x)
      x = where((col == 7) * (row == 3), z0 / z0, x)
      x = where((col == 8) * (row == 80), 1 / z0, x)
      y = transpose(x)
      [sum(y * 2, axis=1), max(y, axis=1), sum(exp(y - max(y, axis=1, keepdims=true)), axis=1),
       sum(transpose(y + 1) * x), log_softmax(x, axis=0)]
      """, Self.tolerance(dtype))
    #expect(Self.permutes(plan, live).isEmpty, "a transpose is copied")
    let modes = PlanTestSupport.kernels(plan).map(Self.modes).reduce(Set<UInt32>()) { $0.union($1) }
    #expect(modes.isSuperset(of: [LK_COLSUM.rawValue, LK_COLMAX.rawValue, LK_COLSUMEXP.rawValue]), "\(modes)")
  }

  @Test func infoNCEOfATransposeAndItsGradientAgree() throws {
    let (plan, live) = try Self.agreeing("""
      x = randn([120, 120], seed=4) * 3
      loss = info_nce(transpose(x)) + info_nce(x)
      [loss, grad(loss, x)]
      """, Self.tolerance("float32"))
    #expect(Self.permutes(plan, live).isEmpty, "a transpose is copied")
  }

  @Test(arguments: [
    "transpose(x) + 1",  // a value computed from the transpose is requested
    "sum(transpose(x) * w, axis=1)",  // it is combined with a full matrix (w would need a transpose)
    "transpose(x) @ v",  // a primitive other than a reduction reads it
  ])
  func transposesThatCannotFoldAreCopied(expression: String) throws {
    let (plan, live) = try Self.agreeing("""
      x = randn([40, 70], seed=5)
      w = randn([70, 40], seed=6)
      v = randn([40, 3], seed=7)
      \(expression)
      """, Self.tolerance("float32"))
    #expect(Self.permutes(plan, live) == [[70, 40]], "\(expression)")
  }

  @Test func columnOutputsNeedRowsOfSixteenElements() throws {
    for (columns, asOutputs) in [(PlanNode.minColumns - 1, false), (PlanNode.minColumns, true)] {
      let (plan, _) = try Self.agreeing("""
        x = randn([500, \(columns)], seed=9)
        sum(exp(x), axis=0) + max(x, axis=0)
        """, Self.tolerance("float32"))
      let modes = PlanTestSupport.kernels(plan).map(Self.modes).reduce(Set<UInt32>()) { $0.union($1) }
      #expect(modes.contains(LK_COLSUM.rawValue) == asOutputs, "\(columns) columns: \(modes)")
      #expect(modes.contains(LK_COLMAX.rawValue) == asOutputs, "\(columns) columns: \(modes)")
    }
  }

  @Test func thePlanShowsTheColumnOutputs() throws {
    let (_, text) = try PlanDescriptionTests.described("""
      x = randn([50, 30], seed=8)
      y = transpose(x)
      sum(y, axis=1) + max(y, axis=1) + sum(log_softmax(y, axis=1), axis=1)
      """)
    for mode in ["colsum", "colmax", "colsumexp"] {
      #expect(text.contains("\n    \(mode) r"), "no \(mode) output:\n\(text)")
    }
    #expect(!text.contains("permute"), "\(text)")
  }
}
