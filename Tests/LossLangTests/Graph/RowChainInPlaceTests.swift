import CLossKernel
import Testing

@testable import LossLang

/// Chain results written over a value their kernel reads for the last time
/// (`RowChain.inPlaceResults`): cross_entropy's gradient over its stored exponentials, and
/// each condition that keeps a result in a buffer of its own.
@Suite("Row chain results in place")
struct RowChainInPlaceTests {
  /// A kernel over [256, 256] reading `reads` (contiguously) whose instructions are `ops`
  /// (opcode, destination, first source), storing register `store` into `writes`.
  static func kernel(reads: [Int], ops: [(lk_opcode, UInt8, UInt8)], store: UInt8, writes: Int) -> KernelStep {
    let instructions = ops.map { op, dst, a in
      var insn = lk_insn()
      insn.op = UInt8(op.rawValue)
      insn.dst = dst
      insn.a = a
      insn.b = a
      return insn
    }
    let registers = max(reads.count, Int(ops.map(\.1).max() ?? 0) + 1)
    let program = KernelProgram(
      dtype: .float32, inputCount: reads.count, registerCount: registers, instructions: instructions,
      outputs: [lk_output(reg: store, mode: UInt8(LK_STORE.rawValue))])
    return KernelStep(
      program: program, shape: [256, 256], operands: reads, strides: reads.map { _ in [256, 1] }, results: [writes],
      resultShapes: [[256, 256]], source: nil)
  }

  /// Kernel 0 stores slot 10 (the negated leaf 1); kernel 1 reads it (and leaf 2) and stores 20.
  static func chain(second: KernelStep, third: KernelStep? = nil) throws -> RowChain {
    let first = kernel(reads: [1], ops: [(LK_OP_NEG, 1, 0)], store: 1, writes: 10)
    return try #require(RowChain([first, second] + (third.map { [$0] } ?? []), views: []))
  }

  @Test func aResultTakesTheBufferOfAValueReadForTheLastTime() throws {
    let second = Self.kernel(reads: [10, 2], ops: [(LK_OP_NEG, 2, 0), (LK_OP_ADD, 3, 2)], store: 3, writes: 20)
    let chain = try Self.chain(second: second)
    #expect(chain.inPlaceResults { _ in false } == [20: 10])
    #expect(chain.inPlaceResults { $0 == 10 }.isEmpty, "read outside the chain, or a root")
    #expect(try Self.chain(second: second, third: Self.kernel(reads: [10], ops: [], store: 0, writes: 30))
      .inPlaceResults { _ in false }.isEmpty, "read by a later kernel")
    #expect(try #require(RowChain([Self.kernel(reads: [1], ops: [(LK_OP_NEG, 1, 0)], store: 1, writes: 15), second], views: []))
      .inPlaceResults { _ in false }.isEmpty, "a leaf: not the chain's own buffer")
  }

  @Test func aResultWrittenBeforeTheLastReadKeepsItsBuffer() throws {
    // Register 2 (stored) is written first, then register 0 (the value) is read again.
    let early = Self.kernel(reads: [10, 2], ops: [(LK_OP_NEG, 2, 1), (LK_OP_ADD, 3, 0)], store: 2, writes: 20)
    #expect(try Self.chain(second: early).inPlaceResults { _ in false }.isEmpty)
  }

  @Test func crossEntropysGradientIsWrittenOverItsExponentials() throws {
    let interp = try Interpreter()
    try RowExpSharingTests.bindLeaf(interp, "x", 300, 257)
    let source = """
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t, label_smoothing=0.1)
      [loss, grad(loss, x)]
      """
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-5)
    let chain = try #require(RowFusionTests.chains(plan).first)
    let exps = try #require(RowExpSharingTests.sharing(plan, over: [300, 257]).storing.first)
    let stored = try #require(exps.results.last, "the rowexp output's slot")
    #expect(chain.inPlace == [plan.roots[1]: stored], "the gradient takes the exponentials' buffer")
    let gradient = try #require(chain.kernels.indices.first { chain.kernels[$0].results.contains(plan.roots[1]) })
    let output = try #require(chain.kernels[gradient].results.firstIndex(of: plan.roots[1]))
    #expect(chain.unreadStores[gradient] >> UInt64(output) & 1 == 0, "stored through the cache, where its lines are")
    #expect(plan.description.contains("in %\(stored)"))
  }
}
