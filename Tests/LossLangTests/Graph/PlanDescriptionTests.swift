import CLossKernel
import Testing

@testable import LossLang

/// `Plan.description` and the tile-program disassembly: what a reader of `:plan` sees
/// matches the plan's structure (steps, kernels, instructions, chains, primitives).
@Suite("Plan description")
struct PlanDescriptionTests {
  /// The plan of the last expression of `source` and its description with op names.
  static func described(_ source: String) throws -> (plan: Plan, text: String) {
    let interp = try Interpreter()
    let live = LiveGraph(roots: try PlanTestSupport.traceList(interp, source))
    let plan = try Plan(live)
    return (plan, plan.description(labels: live.planLabels()))
  }

  /// The lines of `text` that are instructions (`r4 = exp r2`).
  static func instructionLines(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter { $0.contains(" = ") && $0.trimmingCharacters(in: .whitespaces).hasPrefix("r") }
  }

  @Test func aFusedLossIsOneKernelWithItsOpcodes() throws {
    let (plan, text) = try Self.described("x = randn([1000], seed=1)\nsum(exp(x) * x - 0.5)")
    try #require(plan.steps.count == 1)
    guard case .kernel(let kernel) = plan.steps[0] else {
      Issue.record("the one step is not a kernel:\n\(text)")
      return
    }
    #expect(text.hasPrefix("plan: 1 step, "), "\(text)")
    #expect(text.contains("step 1: kernel over float32 [1000]"), "\(text)")
    let instructions = Self.instructionLines(text)
    #expect(instructions.count == kernel.program.instructions.count, "\(text)")
    #expect(instructions.contains { $0.contains("= exp r") }, "\(text)")
    #expect(instructions.contains { $0.contains("= mul r") }, "\(text)")
    #expect(instructions.contains { $0.contains("= subImm r") && $0.hasSuffix(", 0.5") }, "\(text)")
    #expect(text.contains("\n    sum r"), "the full sum is an output:\n\(text)")
    #expect(text.contains("roots: %\(plan.roots[0])"), "\(text)")
  }

  @Test func crossEntropyShowsARowChain() throws {
    let (plan, text) = try Self.described("""
      x = randn([300, 257], seed=3)
      t = floor(rand([300], seed=4) * 257)
      loss = cross_entropy(x, t)
      [loss, grad(loss, x)]
      """)
    let chains = RowFusionTests.chains(plan)
    let chain = try #require(chains.first, "the plan has no row chain:\n\(text)")
    #expect(text.contains("row chain of \(chain.kernels.count) kernels over 300 rows, \(chain.rowsPerBlock) rows per block"), "\(text)")
    let step = try #require(plan.steps.firstIndex { if case .chain = $0 { true } else { false } }) + 1
    for i in chain.kernels.indices { #expect(text.contains("\n  kernel \(step).\(i + 1) over "), "\(text)") }
    #expect(text.contains("rowmax r") && text.contains("rowsumexp r"), "\(text)")
    let kernels = PlanTestSupport.kernels(plan)
    #expect(Self.instructionLines(text).count == kernels.map(\.program.instructions.count).reduce(0, +), "\(text)")
    #expect(text.split(separator: "\n").filter { $0.hasPrefix("step ") }.count == plan.steps.count, "\(text)")
  }

  @Test func primitivesAreNamedByTheirOp() throws {
    let (plan, text) = try Self.described("a = randn([4, 3], seed=1)\nb = randn([3, 2], seed=2)\nexp(a @ b)")
    let matmul = try #require(plan.steps.first { if case .primitive = $0 { true } else { false } })
    guard case .primitive(let node, _, _, let inputs) = matmul else { return }
    #expect(text.contains("primitive %\(node) = matmul(" + inputs.map { "%\($0)" }.joined(separator: ", ") + ")"), "\(text)")
    #expect(text.contains("leaves: %"), "\(text)")
    #expect(text.contains("float32 [4, 3]"), "leaves show their type:\n\(text)")
    #expect(text.contains("  release %"), "\(text)")
  }

  @Test func disassemblyOfSmallPrograms() {
    #expect(KernelProgram.single(LK_OP_ADD, arity: 2, dtype: .float32).disassembly == """
      float32 program: 2 inputs, 3 registers
        inputs r0 r1
        r2 = add r0, r1
        store r2
      """)
    #expect(KernelProgram.fill(0.25, dtype: .float64).disassembly == """
      float64 program: 0 inputs, 1 register
        r0 = const 0.25
        store r0
      """)
    var insn = lk_insn()
    insn.op = 250
    insn.dst = 3
    #expect(KernelProgram.text(of: insn) == "r3 = invalid opcode 250")
  }
}
