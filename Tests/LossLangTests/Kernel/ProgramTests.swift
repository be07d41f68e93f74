import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The tile VM directly: opcode table, fused multi-output programs and validation.
struct ProgramTests {
  /// An instruction with the given fields.
  static func insn(_ op: lk_opcode, _ dst: Int, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0, imm: Double = 0) -> lk_insn {
    var insn = lk_insn()
    (insn.op, insn.dst, insn.a, insn.b, insn.c, insn.imm) = (UInt8(op.rawValue), UInt8(dst), UInt8(a), UInt8(b), UInt8(c), imm)
    return insn
  }

  /// An output descriptor.
  static func output(_ reg: Int, sum: Bool = false) -> lk_output {
    lk_output(reg: UInt8(reg), mode: UInt8(sum ? LK_SUM.rawValue : LK_STORE.rawValue))
  }

  /// lk_validate's verdict on a program.
  static func validate(_ p: KernelProgram) -> lk_status {
    p.instructions.withUnsafeBufferPointer { insns in
      p.outputs.withUnsafeBufferPointer { outs in
        var program = lk_program(
          dtype: p.dtype.kernelCode, n_inputs: Int32(p.inputCount), n_outputs: Int32(p.outputs.count),
          n_regs: Int32(p.registerCount), n_insns: Int32(p.instructions.count),
          insns: insns.baseAddress, outputs: outs.baseAddress, row_length: Int64(p.rowLength), native: nil, native_uniform: 0)
        return lk_validate(&program)
      }
    }
  }

  @Test func opcodeNamesMatchSwiftCases() {
    for op in UnaryOp.allCases {
      #expect(lk_opcode_name(Int32(op.opcode.rawValue)).map { String(cString: $0) } == "\(op)")
      #expect(lk_opcode_arity(Int32(op.opcode.rawValue)) == 1)
    }
    for op in BinaryOp.allCases {
      #expect(lk_opcode_name(Int32(op.opcode.rawValue)).map { String(cString: $0) } == "\(op)")
      #expect(lk_opcode_arity(Int32(op.opcode.rawValue)) == 2)
    }
    #expect(lk_opcode_arity(Int32(LK_OP_SELECT.rawValue)) == 3)
    #expect(lk_opcode_name(Int32(LK_OP_COUNT.rawValue)) == nil && lk_opcode_arity(-1) == -1)
  }

  @Test(arguments: KT.floatTypes)
  func fusedProgramStoresAndSums(dtype: DType) throws {
    // out = sigmoid(x) * w + 1 over x [3, 1025] transposed (strided) and w [3] broadcast;
    // the second output is the double sum of the same register.
    let xs = KT.rounded(SeededGenerator.values(3 * 1025, seed: 21), dtype), ws = KT.rounded([0.5, -2, 3], dtype)
    let x = try KT.tensor(xs, [3, 1025], dtype), w = try KT.tensor(ws, [3], .float64)
    let program = KernelProgram(
      dtype: dtype, inputCount: 2, registerCount: 4,
      instructions: [
        Self.insn(LK_OP_SIGMOID, 2, 0), Self.insn(LK_OP_MUL, 2, 2, 1),
        Self.insn(LK_OP_CONST, 3, imm: 1), Self.insn(LK_OP_ADD, 3, 2, 3),
      ],
      outputs: [Self.output(3), Self.output(3, sum: true), Self.output(0)])
    let shape = [1025, 3]
    let operands = [KernelOperand(x, strides: [1, 1025]), KernelOperand(broadcasting: w, to: shape)]
    let (stored, sums) = try program.run(shape: shape, operands: operands)
    let transposed: [Double] = (0..<shape[0] * 3).map { f in xs[(f % 3) * 1025 + f / 3] }
    let want: [Double] = transposed.indices.map { f in
      let s: Double = 1 / (1 + Foundation.exp(-transposed[f]))
      return s * ws[f % 3] + 1
    }
    #expect(stored.count == 2)
    KT.expectClose(stored[0], KT.rounded(want, dtype), shape: shape, dtype)
    #expect(Tolerance(atol: dtype == .float32 ? 1e-2 : 1e-9).accepts(sums[1], want.reduce(0, +)))
    #expect(stored[1].scalars == transposed)
  }

  @Test(arguments: KT.floatTypes)
  func largeRunsSplitAcrossThreadsMatchSerialResults(dtype: DType) throws {
    // 700 001 elements: above the two-thread threshold, with an odd tail tile.
    let n = 700_001
    let xs = KT.rounded(SeededGenerator.values(n, -3, 3, seed: 31), dtype)
    let x = try KT.tensor(xs, [n], dtype)
    let program = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 2, instructions: [Self.insn(LK_OP_SOFTPLUS, 1, 0)],
      outputs: [Self.output(1), Self.output(1, sum: true)])
    let (stored, sums) = try program.run(shape: [n], operands: [KernelOperand(x, strides: [1])])
    let want = xs.map { Foundation.log1p(Foundation.exp($0)) }
    KT.expectClose(stored[0], KT.rounded(want, dtype), shape: [n], dtype)
    let exact = stored[0].scalars.reduce(0, +)
    #expect(Tolerance(rtol: 1e-9).accepts(sums[1], exact))
  }

  @Test(arguments: KT.floatTypes)
  func float32SumsAddEachFourInFloat32First(dtype: DType) throws {
    // 97 elements: one chunk of 64, then 32 in double, then one alone. Lane 0 of the chunk
    // holds x[0] = 1 and x[16], x[32], x[48] = u = 2^-24: float32 adds (1 + u) + (u + u),
    // whose 1 + u rounds to 1 (a tie, to even), giving 1 + 2u; x[64] and x[96] = u are added
    // in double. float64 keeps every u.
    let u = 0x1p-24
    var xs = [Double](repeating: 0, count: 97)
    xs[0] = 1
    for i in [16, 32, 48, 64, 96] { xs[i] = u }
    let x = try KT.tensor(xs, [97], dtype)
    let program = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 1, instructions: [], outputs: [Self.output(0, sum: true)])
    let (_, sums) = try program.run(shape: [97], operands: [KernelOperand(x, strides: [1])])
    #expect(sums[0] == (dtype == .float32 ? 1 + 4 * u : 1 + 5 * u))
  }

  @Test(arguments: KT.floatTypes)
  func float32SumsAddChunksInPairsBeforeDouble(dtype: DType) throws {
    // 161 elements: two chunks of 64, then 32 in double, then one alone. Lane 0 holds
    // x[0] = 1 in the first chunk and x[64] = u = 2^-24 in the second: float32 adds the two
    // chunks' trees, 1 + u, which rounds to 1 (a tie, to even), before converting; x[128]
    // and x[160] = u are added in double. float64 keeps every u.
    let u = 0x1p-24
    var xs = [Double](repeating: 0, count: 161)
    xs[0] = 1
    for i in [64, 128, 160] { xs[i] = u }
    let x = try KT.tensor(xs, [161], dtype)
    let program = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 1, instructions: [], outputs: [Self.output(0, sum: true)])
    let (_, sums) = try program.run(shape: [161], operands: [KernelOperand(x, strides: [1])])
    #expect(sums[0] == (dtype == .float32 ? 1 + 2 * u : 1 + 3 * u))
  }

  @Test func validationRejectsMalformedPrograms() {
    let good = KernelProgram(dtype: .float32, inputCount: 1, registerCount: 2,
                             instructions: [Self.insn(LK_OP_EXP, 1, 0)], outputs: [Self.output(1)])
    #expect(Self.validate(good) == LK_OK)
    var badOp = Self.insn(LK_OP_EXP, 1, 0)
    badOp.op = UInt8(LK_OP_COUNT.rawValue)
    let bad: [KernelProgram] = [
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 2, instructions: [badOp], outputs: [Self.output(1)]),
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 2,
                    instructions: [Self.insn(LK_OP_EXP, 0, 0)], outputs: [Self.output(0)]),  // writes an input
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 3,
                    instructions: [Self.insn(LK_OP_ADD, 1, 0, 2)], outputs: [Self.output(1)]),  // reads undefined r2
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 2,
                    instructions: [Self.insn(LK_OP_EXP, 5, 0)], outputs: [Self.output(1)]),  // dst out of range
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 2,
                    instructions: [Self.insn(LK_OP_EXP, 1, 0)], outputs: [Self.output(7)]),  // output out of range
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 65, instructions: [], outputs: [Self.output(0)]),
      KernelProgram(dtype: .float32, inputCount: 1, registerCount: 2, instructions: [], outputs: []),
    ]
    for p in bad { #expect(Self.validate(p) == LK_EINVAL) }
    #expect(throws: TensorError.self) { try bad[0].run(shape: [2], operands: [KernelOperand(Tensor(scalar: 1), strides: [0])]) }
  }
}
