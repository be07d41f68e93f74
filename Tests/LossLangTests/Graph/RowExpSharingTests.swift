import CLossKernel
import Testing

@testable import LossLang

/// A kernel computing `exp(x - m)` after the kernel that sums those exponentials in a row
/// chain reads the ones that sum stored (`RowExpSharing`, `LK_ROWEXP`): the plans, results
/// equal to unfused execution, and the C checks of the mode.
@Suite("Row exponentials shared")
struct RowExpSharingTests {
  /// The kernels of `plan` storing exponentials (an `LK_ROWEXP` output), and the kernels over
  /// `shape` computing an `exp` instruction.
  static func sharing(_ plan: Plan, over shape: [Int]) -> (storing: [KernelStep], computing: [KernelStep]) {
    let kernels = PlanTestSupport.kernels(plan)
    let storing = kernels.filter { $0.program.outputs.contains { $0.mode == UInt8(LK_ROWEXP.rawValue) } }
    let computing = kernels.filter { $0.shape == shape && PlanTestSupport.opcodes($0).contains("exp") }
    return (storing, computing)
  }

  /// Binds `name` in `interp` to a (rows, columns) tensor of spread values: a leaf, as the
  /// logits a script loads are (a computed one is computed again by each kernel reading it).
  static func bindLeaf(_ interp: Interpreter, _ name: String, _ rows: Int, _ columns: Int, dtype: DType = .float32) throws {
    let values: [Double] = (0..<(rows * columns)).map { i in Double((i * 7919) % 1009) / 84 - 6 }
    interp.bind(name, try Tensor(values, shape: [rows, columns], dtype: dtype))
  }

  @Test(arguments: [DType.float32, .float64])
  func crossEntropysGradientReadsTheExponentialsItsSumStored(dtype: DType) throws {
    let interp = try Interpreter()
    try Self.bindLeaf(interp, "x", 300, 257, dtype: dtype)
    let source = """
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: dtype == .float32 ? 1e-5 : 1e-12)
    let (storing, computing) = Self.sharing(plan, over: [300, 257])
    #expect(storing.count == 1, "the kernel with the row maximum and the sum of exponentials")
    #expect(computing.isEmpty, "no kernel over the logits computes an exponential: \(computing.map(PlanTestSupport.opcodes))")
    #expect(plan.description.contains("rowexp r"), "`:plan` names the output")
  }

  @Test func rowsLongerThanATileComputeTheirExponentialsAgain() throws {
    // A row of more than LK_TILE elements is summed in several segments, each from the
    // running maximum so far: the exponentials it adds are not exp(x - row maximum).
    let interp = try Interpreter()
    let columns = Int(LK_TILE) + 76
    try Self.bindLeaf(interp, "x", 70, columns)
    let source = """
      t = floor(rand([70], seed=8) * \(columns))
      loss = cross_entropy(x, t)
      [loss, grad(loss, x)]
      """
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-5)
    try #require(RowFusionTests.chains(plan).count == 1, "a chain, which could share")
    let (storing, computing) = Self.sharing(plan, over: [70, columns])
    #expect(storing.isEmpty)
    #expect(computing.count == 1)
  }

  /// A program over rows of `rowLength` with one input: its maximum and sum of exponentials,
  /// and an `LK_ROWEXP` of register `reg` (when the program has a temporary, register 1 is
  /// `neg` of the input) unless `exps` is false.
  static func program(rowLength: Int, reg: UInt8 = 0, sum: Bool = true, exps: Bool = true) -> KernelProgram {
    var neg = lk_insn()
    neg.op = UInt8(LK_OP_NEG.rawValue)
    neg.dst = 1
    let outputs = [lk_output(reg: 0, mode: UInt8(LK_ROWMAX.rawValue))]
      + (sum ? [lk_output(reg: 0, mode: UInt8(LK_ROWSUMEXP.rawValue))] : [])
      + (exps ? [lk_output(reg: reg, mode: UInt8(LK_ROWEXP.rawValue))] : [])
    var program = KernelProgram(
      dtype: .float32, inputCount: 1, registerCount: 2, instructions: [neg], outputs: outputs)
    program.rowLength = rowLength
    return program
  }

  @Test func theStoredExponentialsAreThoseOfASubAndAnExpInstruction() throws {
    let values: [Double] = (0..<1200).map { i in Double((i * 37) % 101) / 7 - 5 }
    let x = try Tensor(values, shape: [6, 200], dtype: .float32)
    let run = try Self.program(rowLength: 200).run(shape: [6, 200], operands: [KernelOperand(x, strides: [200, 1])])
    try #require(run.stored.count == 3)
    let (maxima, exps) = (run.stored[0], run.stored[2])
    #expect(exps.shape == [6, 200])
    // exp(x - m) by the VM's own instructions, m each row's maximum as the kernel stored it.
    let direct = try KernelProgram.single(LK_OP_SUB, arity: 2, dtype: .float32).runStored(
      shape: [6, 200], inputs: [x, maxima.reshaped([6, 1])])
    let expected = try KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float32).runStored(shape: [6, 200], inputs: [direct])
    let bits = { (t: Tensor) -> [UInt64] in t.scalars.map { $0.bitPattern } }
    #expect(bits(exps) == bits(expected))
  }

  @Test(arguments: [
    (Int(LK_TILE) + 1, UInt8(0), true, "rows longer than a tile"),
    (200, UInt8(1), true, "a computed register"),
    (200, UInt8(0), false, "no sum of exponentials of the register"),
  ])
  func aRowExpNeedsItsSumRowsOfATileAndAnInput(rowLength: Int, reg: UInt8, sum: Bool, why: String) throws {
    let x = try Tensor(Array(repeating: 0.5, count: 3 * rowLength), shape: [3, rowLength], dtype: .float32)
    let operand = KernelOperand(x, strides: [rowLength, 1])
    let valid = Self.program(rowLength: rowLength, reg: reg, sum: sum, exps: false)
    _ = try valid.run(shape: [3, rowLength], operands: [operand])
    #expect(throws: TensorError.self, "\(why)") {
      try Self.program(rowLength: rowLength, reg: reg, sum: sum).run(shape: [3, rowLength], operands: [operand])
    }
  }
}
