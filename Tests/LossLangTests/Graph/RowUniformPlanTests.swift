import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// Values the same along a row computed once per row (`RowUniformNarrowing`), and the
/// triplet margin loss with its three gradients as one row chain whose only stored (N, D)
/// values are the gradients, streamed past the cache (`RowChain.unreadStores`); results
/// equal to unfused execution and, natively, to the VM's bits.
@Suite("Row-uniform values")
struct RowUniformPlanTests {
  /// W5's computation (benchmarks/W5_triplet.loss) over `rows` rows of 128, with `options`
  /// as the triplet loss's extra arguments.
  static func triplet(rows: Int, _ options: String = "") -> String {
    """
    a = randn([\(rows), 128], seed=1)
    p = randn([\(rows), 128], seed=2)
    n = randn([\(rows), 128], seed=3) * 0.9
    loss = triplet_margin_loss(a, p, n, margin=1.0\(options))
    g = grad(sum(loss), [a, p, n])
    [sum(loss), g[0], g[1], g[2]]
    """
  }

  @Test func tripletLossAndGradientsAreOneChainStoringOnlyTheGradients() throws {
    let interp = try Interpreter()
    let (plan, _) = try RowFusionTests.expectAgreement(interp, Self.triplet(rows: 1024), rtol: 1e-5)
    let chains = RowFusionTests.chains(plan)
    try #require(chains.count == 1)
    let chain = try #require(chains.first)
    let wide = PlanTestSupport.kernels(plan).filter { $0.shape == [1024, 128] }
    #expect(wide.count == 2, "the two squared distances, then the three gradients")
    #expect(wide.allSatisfy { k in chain.kernels.contains { $0.results == k.results } }, "both in the chain")
    // Stored (N, D) values: exactly the three gradients, the plan's roots.
    let stored = chain.kernels.flatMap { k in
      k.results.indices.filter { k.resultShapes[$0] == [1024, 128] }.map { k.results[$0] }
    }
    #expect(Set(stored) == Set(plan.roots.dropFirst()) && stored.count == 3)
    // The norms' gradient factors (two divisions, the zero tests) are computed once per row.
    #expect(wide.allSatisfy { !PlanTestSupport.opcodes($0).contains("div") }, "\(wide.map(PlanTestSupport.opcodes))")
    #expect(chain.kernels.contains { $0.shape == [1024, 1] && PlanTestSupport.opcodes($0).contains("div") })
    // Only the gradients are read by no later kernel of the chain: they bypass the cache.
    let unread = chain.kernels.indices.flatMap { k in
      chain.kernels[k].results.indices.filter { i in
        chain.unreadStores[k] >> UInt64(i) & 1 == 1 && chain.kernels[k].program.outputs[i].mode == UInt8(LK_STORE.rawValue)
      }.map { chain.kernels[k].results[$0] }
    }
    #expect(Set(unread) == Set(stored) && unread.count == stored.count)
  }

  @Test(arguments: [", swap=true", ", p=1", ", p=3, eps=0.0", ", reduction=\"sum\"", ", reduction=\"none\", swap=true"])
  func tripletVariantsAgreeWithUnfused(options: String) throws {
    let interp = try Interpreter()
    try RowFusionTests.expectAgreement(interp, Self.triplet(rows: 1024, options), rtol: 1e-5)
  }

  @Test func aRowUniformValueIsComputedOncePerRowUnlessARootOrReduced() throws {
    let interp = try Interpreter()
    // m is the same along each row: exp(m) / (m + 2) is computed over [300, 1]; the root
    // (over [300, 257]) and the sum over the row of a row-uniform product keep their shapes.
    let source = """
      x = randn([300, 257], seed=4)
      m = expand(max(x, axis=1, keepdims=true), [300, 257])
      u = exp(m) / (m + 2)
      [u * x, expand(m, [300, 257]) * 2, sum(u * 3, axis=1)]
      """
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-6)
    let kernels = PlanTestSupport.kernels(plan)
    #expect(kernels.contains { $0.shape == [300, 1] && PlanTestSupport.opcodes($0).contains("exp") })
    #expect(kernels.filter { $0.shape == [300, 257] }.allSatisfy { !PlanTestSupport.opcodes($0).contains("exp") })
    let roots = plan.roots.compactMap { r in
      kernels.lazy.compactMap { k in k.results.firstIndex(of: r).map { k.resultShapes[$0] } }.first
    }
    #expect(roots == [[300, 257], [300, 257], [300]])
  }

  @Test func storesReadLaterThroughViewsOfViewsAreNotStreamed() {
    // Kernel 0 stores slot 10, read by kernel 2 through the views 11 = 10 and 12 = 11;
    // kernel 1's slot 20 is read by kernel 2 directly, its slot 21 by no kernel; kernel 2's
    // slot 30 by no kernel.
    func kernel(reads: [Int], writes: [Int]) -> KernelStep {
      let program = KernelProgram(
        dtype: .float32, inputCount: reads.count, registerCount: reads.count, instructions: [],
        outputs: writes.map { _ in lk_output(reg: 0, mode: UInt8(LK_STORE.rawValue)) })
      return KernelStep(
        program: program, shape: [4, 2], operands: reads, strides: reads.map { _ in [2, 1] }, results: writes,
        resultShapes: writes.map { _ in [4, 2] }, source: nil)
    }
    let kernels = [
      kernel(reads: [1], writes: [10]), kernel(reads: [1], writes: [20, 21]), kernel(reads: [12, 20], writes: [30]),
    ]
    let views = [(slot: 11, input: 10, shape: [8]), (slot: 12, input: 11, shape: [4, 2])]
    #expect(RowChain.unreadStores(kernels, views: views) == [0, 0b10, 1])
    #expect(RowChain.unreadStores(kernels, views: []) == [1, 0b10, 1])
  }

  /// Large enough for the chain's stored gradients to stream (8 MiB each), natively and on
  /// the VM: the same bits both ways.
  @Test(.tags(.native, .slow)) func streamedTripletGradientsAreTheVMsBitsNatively() throws {
    let clang = try #require(clangOnPath, "no clang: native kernels cannot compile here")
    var options = Interpreter.Options()
    options.kernelCacheDirectory = TestScratch.path("kernel-cache-")
    options.kernelCompiler = clang
    options.nativeKernels = false
    let off = try Interpreter(options: options)
    let vm = try Executor.materialize(PlanTestSupport.traceList(off, Self.triplet(rows: 16384)), context: off.context)
    options.nativeKernels = true
    options.nativeKernelMinimumElements = 0
    let on = try Interpreter(options: options)
    let native = try Executor.materialize(PlanTestSupport.traceList(on, Self.triplet(rows: 16384)), context: on.context)
    try #require(vm.count == 4 && native.count == 4)
    #expect(vm.map { $0.scalars } == native.map { $0.scalars })
    let unfusedContext = ExecutionContext(fusion: false, cancellation: on.context.cancellation)
    let unfused = try Executor.materialize(PlanTestSupport.traceList(on, Self.triplet(rows: 16384)), context: unfusedContext)
    for (f, u) in zip(native, unfused) {
      #expect(Tolerance(atol: 1e-5 * (u.scalars.map(abs).max() ?? 0)).accepts(f, u))
    }
  }
}
