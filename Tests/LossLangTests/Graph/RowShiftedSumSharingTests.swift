import CLossKernel
import Testing

@testable import LossLang

/// A row sum of `x - m` in a kernel after the one computing the row maximum `m` and the sum of
/// exponentials of `x` in a row chain moves into that kernel (`RowShiftedSumSharing`,
/// `LK_ROWSUMSHIFT`): the plans, results equal to unfused execution, and the C mode's bits.
@Suite("Row sums of shifted values shared")
struct RowShiftedSumSharingTests {
  /// The kernels of `plan` with an `LK_ROWSUMSHIFT` output, and the kernels over `shape`
  /// with a row sum of a register a `sub` instruction wrote.
  static func sharing(_ plan: Plan, over shape: [Int]) -> (summing: [KernelStep], later: [KernelStep]) {
    let kernels = PlanTestSupport.kernels(plan)
    let summing = kernels.filter { $0.program.outputs.contains { $0.mode == UInt8(LK_ROWSUMSHIFT.rawValue) } }
    let later = kernels.filter { kernel in
      let p = kernel.program
      return kernel.shape == shape && p.outputs.contains { output in
        let writer = RowExpSharing.writer(of: output.reg, before: p.instructions.count, in: p)
        return output.mode == UInt8(LK_ROWSUM.rawValue) && writer >= 0
          && p.instructions[writer].op == UInt8(LK_OP_SUB.rawValue)
      }
    }
    return (summing, later)
  }

  @Test(arguments: [DType.float32, .float64])
  func labelSmoothingsSumOfLogProbabilitiesIsSummedInTheFirstPass(dtype: DType) throws {
    let plan = try RowExpSharingTests.crossEntropyPlan(rows: 300, columns: 257, smoothing: 0.1, dtype: dtype)
    let (summing, later) = Self.sharing(plan, over: [300, 257])
    #expect(summing.count == 1, "the kernel with the row maximum and the sum of exponentials")
    #expect(later.isEmpty, "no later kernel sums x - m: \(later.map(PlanTestSupport.opcodes))")
    #expect(plan.description.contains("rowsumshift r"), "`:plan` names the output")
  }

  @Test func rowsLongerThanATileSumTheirShiftedValuesInTheLaterKernel() throws {
    // A row of more than LK_TILE elements is summed in several segments, each from the
    // running maximum so far, not from the row's maximum.
    let columns = Int(LK_TILE) + 76
    let plan = try RowExpSharingTests.crossEntropyPlan(rows: 70, columns: columns, smoothing: 0.2)
    try #require(RowFusionTests.chains(plan).count == 1, "a chain, which could share")
    let (summing, later) = Self.sharing(plan, over: [70, columns])
    #expect(summing.isEmpty)
    #expect(later.count == 1)
  }

  @Test(arguments: [Int(LK_MAX_REGS) - 1, Int(LK_MAX_REGS)])
  func aKernelWithEveryOutputTakenTakesNoSum(outputs: Int) throws {
    // Kernel 0: x's maximum and sum of exponentials, and stores of x up to `outputs`
    // outputs; kernel 1: a row sum (and a store) of x - m. lk_run takes at most LK_MAX_REGS.
    var sub = lk_insn()
    (sub.op, sub.dst, sub.a, sub.b) = (UInt8(LK_OP_SUB.rawValue), 2, 0, 1)
    let rows = [lk_output(reg: 0, mode: UInt8(LK_ROWMAX.rawValue)), lk_output(reg: 0, mode: UInt8(LK_ROWSUMEXP.rawValue))]
    let stores = Array(repeating: lk_output(reg: 0, mode: UInt8(LK_STORE.rawValue)), count: outputs - 2)
    let first = KernelProgram(
      dtype: .float32, inputCount: 1, registerCount: 1, instructions: [], outputs: rows + stores, rowLength: 100)
    let second = KernelProgram(
      dtype: .float32, inputCount: 2, registerCount: 3, instructions: [sub],
      outputs: [lk_output(reg: 2, mode: UInt8(LK_ROWSUM.rawValue)), lk_output(reg: 2, mode: UInt8(LK_STORE.rawValue))],
      rowLength: 100)
    let shape = [8, 100]
    let kernels = [
      KernelStep(program: first, shape: shape, operands: [0], strides: [[100, 1]], results: Array(1...outputs),
                 resultShapes: [[8, 1], [8, 1]] + Array(repeating: shape, count: outputs - 2), source: nil),
      KernelStep(program: second, shape: shape, operands: [0, 1], strides: [[100, 1], [1, 0]],
                 results: [100, 101], resultShapes: [[8], shape], source: nil),
    ]
    let shared = RowShiftedSumSharing.shared(kernels, views: [:])
    let moved = outputs < Int(LK_MAX_REGS)
    #expect(shared[0].program.outputs.count == outputs + (moved ? 1 : 0))
    #expect(shared[1].program.outputs.count == (moved ? 1 : 2))
  }

  @Test(arguments: [DType.float32, .float64], [1, 3, 63, 64, 65, 200, 1000, Int(LK_TILE)])
  func theSumsAreThoseOfASubAndARowSum(dtype: DType, length: Int) throws {
    var rows = try RowSumExpTests.rows(length: length, dtype: dtype).map { row in
      try Tensor(row, shape: [length], dtype: dtype).scalars
    }
    if length >= 161 {
      // A row whose float32 sum shows the pairing of chunks (ProgramTests'
      // float32SumsAddChunksInPairsBeforeDouble): maximum 0, -1 in the first chunk's lane 0
      // and -2^-24 in the second's, whose float32 sum rounds to -1, then two more in double.
      var row = [Double](repeating: 0, count: length)
      row[0] = -1
      for i in [64, 128, 160] { row[i] = -0x1p-24 }
      rows.append(row)
    }
    let x = try Tensor(rows.flatMap { $0 }, shape: [rows.count, length], dtype: dtype)
    let program = RowExpSharingTests.program(rowLength: length, partner: LK_ROWSUMSHIFT, dtype: dtype)
    let run = try program.run(shape: x.shape, operands: [KernelOperand(x, strides: [length, 1])])
    try #require(run.stored.count == 3)
    let (maxima, sums) = (run.stored[0], run.stored[2])
    #expect(sums.shape == [rows.count])
    // x - m by the VM's own sub instruction, m each row's maximum as the kernel stored it,
    // then summed by a row sum output.
    let shifted = try KernelProgram.single(LK_OP_SUB, arity: 2, dtype: dtype).runStored(
      shape: x.shape, inputs: [x, maxima.reshaped([rows.count, 1])])
    var rowSum = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 1, instructions: [],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_ROWSUM.rawValue))])
    rowSum.rowLength = length
    let expected = try rowSum.run(shape: x.shape, operands: [KernelOperand(shifted, strides: [length, 1])]).stored[0]
    let bits = { (t: Tensor) -> [UInt64] in t.scalars.map { $0.bitPattern } }
    #expect(bits(sums) == bits(expected), "\(dtype), rows of \(length)")
  }
}
