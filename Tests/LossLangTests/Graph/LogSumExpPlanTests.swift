import CLossKernel
import Testing

@testable import LossLang

/// `logsumexp` over trailing or leading axes runs as the one-pass log-sum-exp of a fused kernel
/// (`PlanBuilder.logSumExp`), not as the primitive: the plans, and results that agree with the
/// primitive's (`lk_logsumexp`, in double) for every special value.
@Suite struct LogSumExpPlanTests {
  /// Rows of 40, three of each kind (21: the columns of their transpose are enough for a
  /// column output): spread values, only -inf, one +inf, one NaN, +inf and -inf, huge values,
  /// and values that are all equal (whose log-sum is m + log 40).
  static func rows(_ dtype: DType) -> [[Double]] {
    var random = SeededGenerator(seed: 21)
    let huge = dtype == .float32 ? 3e38 : 1e307
    var rows: [[Double]] = []
    for k in 0..<3 {
      rows.append((0..<40).map { _ in Double.random(in: -60...60, using: &random) })
      rows.append([Double](repeating: -.infinity, count: 40))
      for special in [Double.infinity, .nan] {
        var row = (0..<40).map { _ in Double.random(in: -5...5, using: &random) }
        row[17 + k] = special
        rows.append(row)
      }
      rows.append((0..<40).map { ($0 + k) % 2 == 0 ? Double.infinity : -.infinity })
      rows.append((0..<40).map { huge - Double($0 + k) * huge / 100 })
      rows.append([Double](repeating: -7.25 + Double(k), count: 40))
    }
    return rows
  }

  /// The logsumexp steps of the plan of `source`'s tensors: primitives computing one.
  static func primitives(_ interp: Interpreter, _ source: String) throws -> Int {
    let live = LiveGraph(roots: try PlanTestSupport.traceList(interp, source))
    return try Plan(live).steps.filter { step in
      guard case .primitive(_, let node?, _, _) = step, case .logsumexp = live.order[node].op else { return false }
      return true
    }.count
  }

  @Test(arguments: [DType.float32, .float64])
  func trailingAndLeadingAxesAreOnePassAndAgreeWithThePrimitive(dtype: DType) throws {
    let interp = try Interpreter()
    let rows = Self.rows(dtype)
    interp.bind("x", try Tensor(rows.flatMap { $0 }, shape: [rows.count, 40], dtype: dtype))
    let source = "[logsumexp(x, axis=1), logsumexp(x, axis=-1, keepdims=true), logsumexp(transpose(x), axis=0)]"
    #expect(try Self.primitives(interp, source) == 0)
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, source)
    // The primitive sums and adds in double; the kernels round the sum, its log and m + log.
    let tolerance = Tolerance(rtol: dtype == .float32 ? 1e-6 : 1e-15, atol: dtype == .float32 ? 1e-6 : 1e-15)
    for (f, u) in zip(fused, unfused) {
      #expect(f.shape == u.shape)
      #expect(tolerance.accepts(f, u), "\(dtype): \(f.scalars) vs \(u.scalars)")
    }
  }

  @Test func otherAxesKeepThePrimitive() throws {
    let interp = try Interpreter()
    interp.bind("x", try Tensor((0..<60).map { Double($0) / 7 }, shape: [3, 4, 5], dtype: .float32))
    #expect(try Self.primitives(interp, "logsumexp(x, axis=1)") == 1)
    #expect(try Self.primitives(interp, "logsumexp(x, axis=[1, 2])") == 0)
  }

  @Test func theGradientAgreesWithThePrimitives() throws {
    let interp = try Interpreter()
    try RowExpSharingTests.bindLeaf(interp, "x", 50, 300)
    _ = try RowFusionTests.expectAgreement(interp, "grad(mean(logsumexp(x, axis=1) ^ 2), x)", rtol: 1e-6)
  }
}
