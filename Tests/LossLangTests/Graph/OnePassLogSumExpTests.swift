import CLossKernel
import Testing

@testable import LossLang

/// `sum(exp(x - max(x)))` over rows, planned as one row output (`LK_ROWSUMEXP`) of the
/// kernel computing the maximum: the plans it gives and results equal to unfused execution.
@Suite("One-pass log-sum-exp")
struct OnePassLogSumExpTests {
  /// The kernels of a plan with a row maximum and a row sum of exponentials of one register.
  static func onePassKernels(_ plan: Plan) -> [KernelStep] {
    PlanTestSupport.kernels(plan).filter { kernel in
      let outputs = kernel.program.outputs
      return outputs.contains { o in
        o.mode == UInt8(LK_ROWSUMEXP.rawValue)
          && outputs.contains { $0.mode == UInt8(LK_ROWMAX.rawValue) && $0.reg == o.reg }
      }
    }
  }

  /// The kernels of a plan reading a value that `kernel` reads element by element (one of
  /// its own shape, with row-major strides: not a broadcast row or column).
  static func readers(ofElementwiseOperandsOf kernel: KernelStep, _ plan: Plan) -> [KernelStep] {
    let rowMajor = Array(kernel.shape.indices.map { kernel.shape[($0 + 1)...].reduce(1, *) })
    let values = Set(kernel.operands.indices.filter { kernel.strides[$0] == rowMajor }.map { kernel.operands[$0] })
    return PlanTestSupport.kernels(plan).filter { !values.isDisjoint(with: $0.operands) }
  }

  /// Fused and unfused results of `source` within `tolerance` (NaN matching NaN, an
  /// infinity only itself); returns the plan.
  @discardableResult
  static func expectAgreement(_ interp: Interpreter, _ source: String, _ tolerance: Tolerance) throws -> (Plan, LiveGraph) {
    let (plan, live, pairs) = try PlanTestSupport.planAndResults(interp, source)
    for (f, u) in pairs {
      #expect(f.shape == u.shape)
      #expect(tolerance.mismatch(f.scalars, u.scalars) == nil, "\(source): \(tolerance.mismatch(f.scalars, u.scalars) ?? "")")
    }
    return (plan, live)
  }

  @Test(arguments: ["float32", "float64"])
  func crossEntropyReadsTheLogitsTwice(dtype: String) throws {
    let interp = try Interpreter()
    let source = """
      x = \(dtype)(randn([300, 257], seed=3) * 4)
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let tolerance = dtype == "float32" ? Tolerance(rtol: 1e-5, atol: 1e-7) : Tolerance(rtol: 1e-12, atol: 1e-15)
    let (plan, _) = try Self.expectAgreement(interp, source, tolerance)
    let onePass = Self.onePassKernels(plan)
    try #require(onePass.count == 1, "the row maxima and sums of exponentials are one pass")
    // The logits (or, in float32, the value they are computed from) are read by that pass
    // and by one computing the forward's log-probabilities (its target and smoothing row
    // sums) with the gradient (`SpaceLevels`).
    let readers = Self.readers(ofElementwiseOperandsOf: onePass[0], plan)
    #expect(readers.count == 2, "the logits are read by \(readers.count) kernels\n\(plan)")
  }

  @Test(arguments: ["float32", "float64"])
  func logSoftmaxAndSoftmaxOverOddRowsAgree(dtype: String) throws {
    let interp = try Interpreter()
    for (rows, length) in [(50, 1), (40, 3), (33, 1000), (5, 2500)] {
      let source = """
        x = \(dtype)(randn([\(rows), \(length)], seed=12) * 30)
        w = randn([\(rows), \(length)], seed=13)
        y = log_softmax(x, axis=1)
        p = softmax(x, axis=1)
        [y, p, grad(sum(y * w) + sum(p * w), x)]
        """
      let tolerance = dtype == "float32" ? Tolerance(rtol: 1e-5, atol: 1e-6) : Tolerance(rtol: 1e-12, atol: 1e-14)
      let (plan, _) = try Self.expectAgreement(interp, source, tolerance)
      #expect(!Self.onePassKernels(plan).isEmpty, "\(rows)×\(length)")
    }
  }

  @Test(arguments: ["float32", "float64"])
  func rowsWithInfinitiesNaNAndHugeValuesAgree(dtype: String) throws {
    let interp = try Interpreter()
    // Row 0 holds -inf, row 1 NaN, row 2 +inf, row 3 only -inf, row 4 huge values, the rest finite.
    let source = """
      base = \(dtype)(randn([9, 700], seed=14) * 10)
      z0 = \(dtype)(zeros([1]))
      inf = 1 / z0
      nan = z0 / z0
      row = reshape(arange(9), [9, 1])
      col = reshape(arange(700), [1, 700])
      x = where((row == 0) * (col < 100), -inf, base)
      x = where((row == 1) * (col == 500), nan, x)
      x = where((row == 2) * (col == 650), inf, x)
      x = where(row == 3, -inf, x)
      x = where(row == 4, base * 1e30, x)
      t = arange(9) * 70
      y = log_softmax(x, axis=1)
      loss = cross_entropy(x, t, label_smoothing=0.1, reduction="none")
      [y, softmax(x, axis=1), loss, grad(sum(loss), x)]
      """
    let tolerance = dtype == "float32" ? Tolerance(rtol: 1e-5, atol: 1e-6) : Tolerance(rtol: 1e-12, atol: 1e-14)
    let (plan, _) = try Self.expectAgreement(interp, source, tolerance)
    #expect(!Self.onePassKernels(plan).isEmpty)
  }

  @Test func aSumOfExponentialsShiftedByAnotherMaximumIsARowSum() throws {
    let interp = try Interpreter()
    let source = """
      x = randn([64, 300], seed=15)
      z = randn([64, 300], seed=16)
      [sum(exp(x - max(z, axis=1, keepdims=true)), axis=1), sum(exp(x - max(x, axis=0, keepdims=true)), axis=0)]
      """
    let (plan, _) = try Self.expectAgreement(interp, source, Tolerance(rtol: 1e-5))
    #expect(Self.onePassKernels(plan).isEmpty, "only a maximum of x itself over the summed axes qualifies")
  }
}
