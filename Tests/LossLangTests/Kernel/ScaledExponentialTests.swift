import CLossKernel
import Testing

@testable import LossLang

/// The one-pass log-sum-exp's AVX-512 exponentials (`exp_chunk_scalef.h`): the bits of the
/// VM's `sub` and `exp` instructions, where scaling by 2^k rounds (subnormal results).
struct ScaledExponentialTests {
  /// Rows of 1024 (one segment each) whose first element is 0, so each row's maximum is 0
  /// and the kernel takes exp of the other elements as they are: every float from -104
  /// (where exp's argument is clamped) to -86 (results subnormal or barely normal, scaled
  /// by 2^-150 to 2^-124), then the special values and a spread over [-120, 0].
  static func rows() throws -> Tensor {
    var values: [Float] = []
    var v: Float = -104
    while v <= -86 {
      values.append(v)
      v = v.nextUp
    }
    values += [-.infinity, .nan, -0.0, 0, -.leastNonzeroMagnitude, -.leastNormalMagnitude, -103.97, -87.34]
    values += (0..<5000).map { Float(-120.0 * Double(($0 * 7919) % 5000) / 5000) }
    let perRow = 1023
    let rows = (values.count + perRow - 1) / perRow
    var laid = [Double]()
    for r in 0..<rows {
      laid.append(0)
      laid += (0..<perRow).map { i in r * perRow + i < values.count ? Double(values[r * perRow + i]) : -1 }
    }
    return try Tensor(laid, shape: [rows, 1024], dtype: .float32)
  }

  @Test func theExponentialsAndTheirSumsAreTheInstructionsBits() throws {
    try #require(String(cString: lk_vm_target()).contains("avx512f"), "the VM's AVX-512 loops are the ones tested")
    let x = try Self.rows()
    let shape = x.shape
    let run = try RowExpSharingTests.program(rowLength: 1024).run(shape: shape, operands: [KernelOperand(x, strides: [1024, 1])])
    try #require(run.stored.count == 3)
    let (maxima, sums, exps) = (run.stored[0], run.stored[1], run.stored[2])
    let shifted = try KernelProgram.single(LK_OP_SUB, arity: 2, dtype: .float32).runStored(
      shape: shape, inputs: [x, maxima.reshaped([shape[0], 1])])
    let expected = try KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float32).runStored(shape: shape, inputs: [shifted])
    /// The first index where two tensors' bits differ (nil: none), a short message for 2M values.
    let firstDifference = { (a: Tensor, b: Tensor) -> Int? in
      let (x, y) = (a.scalars, b.scalars)
      return x.count != y.count ? -1 : x.indices.first { x[$0].bitPattern != y[$0].bitPattern }
    }
    #expect(firstDifference(exps, expected) == nil)
    var rowSum = KernelProgram(
      dtype: .float32, inputCount: 1, registerCount: 1, instructions: [],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_ROWSUM.rawValue))])
    rowSum.rowLength = 1024
    let summed = try rowSum.run(shape: shape, operands: [KernelOperand(expected, strides: [1024, 1])]).stored[0]
    #expect(firstDifference(sums, summed) == nil)
    // The range reached the subnormal results the scaling rounds.
    #expect(exps.scalars.contains { $0 > 0 && $0 < Double(Float.leastNormalMagnitude) })
  }
}
