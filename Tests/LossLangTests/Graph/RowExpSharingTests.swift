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

  /// The plan of cross_entropy (with `smoothing`) of (rows, columns) logits bound as a leaf
  /// and its gradient, whose results agree with unfused execution.
  static func crossEntropyPlan(rows: Int, columns: Int, smoothing: Double, dtype: DType = .float32) throws -> Plan {
    let interp = try Interpreter()
    try Self.bindLeaf(interp, "x", rows, columns, dtype: dtype)
    let source = """
      t = floor(rand([\(rows)], seed=4) * \(columns))
      loss = cross_entropy(x, t, label_smoothing=\(smoothing))
      [loss, grad(loss, x)]
      """
    return try RowFusionTests.expectAgreement(interp, source, rtol: dtype == .float32 ? 1e-5 : 1e-12).0
  }

  @Test(arguments: [DType.float32, .float64])
  func crossEntropysGradientReadsTheExponentialsItsSumStored(dtype: DType) throws {
    let plan = try Self.crossEntropyPlan(rows: 300, columns: 257, smoothing: 0.1, dtype: dtype)
    let (storing, computing) = Self.sharing(plan, over: [300, 257])
    #expect(storing.count == 1, "the kernel with the row maximum and the sum of exponentials")
    #expect(computing.isEmpty, "no kernel over the logits computes an exponential: \(computing.map(PlanTestSupport.opcodes))")
    #expect(plan.description.contains("rowexp r"), "`:plan` names the output")
  }

  @Test func theGradientAloneKeepsNoDifferenceOnlyItsExponentialsRead() throws {
    // grad(cross_entropy) computes exp(x - m) for the gradient and nothing else from x - m:
    // reading the stored exponentials leaves that sub with no reader, and it goes too.
    let interp = try Interpreter()
    try Self.bindLeaf(interp, "x", 300, 257)
    let source = """
      t = floor(rand([300], seed=4) * 257)
      grad(cross_entropy(x, t), x)
      """
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-5)
    let (storing, _) = Self.sharing(plan, over: [300, 257])
    try #require(storing.count == 1)
    let gradient = PlanTestSupport.kernels(plan).filter { $0.shape == [300, 257] && $0.results != storing[0].results }
    try #require(gradient.count == 1)
    #expect(!PlanTestSupport.opcodes(gradient[0]).contains("sub"), "\(PlanTestSupport.opcodes(gradient[0]))")
  }

  @Test func rowsLongerThanATileComputeTheirExponentialsAgain() throws {
    // A row of more than LK_TILE elements is summed in several segments, each from the
    // running maximum so far: the exponentials it adds are not exp(x - row maximum).
    let columns = Int(LK_TILE) + 76
    let plan = try Self.crossEntropyPlan(rows: 70, columns: columns, smoothing: 0)
    try #require(RowFusionTests.chains(plan).count == 1, "a chain, which could share")
    let (storing, computing) = Self.sharing(plan, over: [70, columns])
    #expect(storing.isEmpty)
    #expect(computing.count == 1)
  }

  /// A program over rows of `rowLength` with one input: its maximum and sum of exponentials,
  /// and an output of register `reg` in `partner` mode (`LK_ROWEXP`, or `LK_ROWSUMSHIFT`; when
  /// the program has a temporary, register 1 is `neg` of the input) unless `exps` is false.
  static func program(rowLength: Int, reg: UInt8 = 0, sum: Bool = true, exps: Bool = true,
                      partner: lk_output_mode = LK_ROWEXP, dtype: DType = .float32) -> KernelProgram {
    var neg = lk_insn()
    neg.op = UInt8(LK_OP_NEG.rawValue)
    neg.dst = 1
    let outputs = [lk_output(reg: 0, mode: UInt8(LK_ROWMAX.rawValue))]
      + (sum ? [lk_output(reg: 0, mode: UInt8(LK_ROWSUMEXP.rawValue))] : [])
      + (exps ? [lk_output(reg: reg, mode: UInt8(partner.rawValue))] : [])
    var program = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 2, instructions: [neg], outputs: outputs)
    program.rowLength = rowLength
    return program
  }

  @Test(arguments: [3, Int(LK_MAX_REGS) - 1, Int(LK_MAX_REGS)])
  func aKernelWithEveryOutputTakenStoresNoExponentials(outputs: Int) throws {
    // Kernel 0: x's maximum and sum of exponentials, and stores of x up to `outputs`
    // outputs; kernel 1: exp(x - m), stored. A stored exponential is one output more, and
    // lk_run takes at most LK_MAX_REGS: at the limit, kernel 1 computes its own.
    var sub = lk_insn(), exp = lk_insn()
    (sub.op, sub.dst, sub.a, sub.b) = (UInt8(LK_OP_SUB.rawValue), 2, 0, 1)
    (exp.op, exp.dst, exp.a) = (UInt8(LK_OP_EXP.rawValue), 3, 2)
    let rows = [lk_output(reg: 0, mode: UInt8(LK_ROWMAX.rawValue)), lk_output(reg: 0, mode: UInt8(LK_ROWSUMEXP.rawValue))]
    let stores = Array(repeating: lk_output(reg: 0, mode: UInt8(LK_STORE.rawValue)), count: outputs - 2)
    let shape = [8, 100]
    let kernels = [
      KernelStep(program: KernelProgram(dtype: .float32, inputCount: 1, registerCount: 1, instructions: [],
                                        outputs: rows + stores, rowLength: 100),
                 shape: shape, operands: [0], strides: [[100, 1]], results: Array(1...outputs),
                 resultShapes: [[8, 1], [8, 1]] + Array(repeating: shape, count: outputs - 2), source: nil),
      KernelStep(program: KernelProgram(dtype: .float32, inputCount: 2, registerCount: 4, instructions: [sub, exp],
                                        outputs: [lk_output(reg: 3, mode: UInt8(LK_STORE.rawValue))]),
                 shape: shape, operands: [0, 1], strides: [[100, 1], [1, 0]], results: [100], resultShapes: [shape],
                 source: nil),
    ]
    var nextSlot = 200
    let shared = RowExpSharing.shared(kernels, views: [:], nextSlot: &nextSlot)
    let stored = outputs < Int(LK_MAX_REGS)
    #expect(shared[0].program.outputs.count == outputs + (stored ? 1 : 0))
    #expect(shared[1].program.instructions.contains { $0.op == UInt8(LK_OP_EXP.rawValue) } == !stored)
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
  ], [LK_ROWEXP, LK_ROWSUMSHIFT])
  func aPartnerOfTheSumNeedsItRowsOfATileAndAnInput(_ why: (rowLength: Int, reg: UInt8, sum: Bool, text: String),
                                                    partner: lk_output_mode) throws {
    let rowLength = why.rowLength
    let x = try Tensor(Array(repeating: 0.5, count: 3 * rowLength), shape: [3, rowLength], dtype: .float32)
    let operand = KernelOperand(x, strides: [rowLength, 1])
    let valid = Self.program(rowLength: rowLength, reg: why.reg, sum: why.sum, exps: false)
    _ = try valid.run(shape: [3, rowLength], operands: [operand])
    let partnered = Self.program(rowLength: rowLength, reg: why.reg, sum: why.sum, partner: partner)
    #expect(throws: TensorError.self, "\(why.text)") {
      try partnered.run(shape: [3, rowLength], operands: [operand])
    }
  }
}
