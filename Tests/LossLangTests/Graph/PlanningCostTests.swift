import Testing

@testable import LossLang

/// Planning is linear in the graph's size: doubling a chain doubles the planner's count of
/// examined operands and list entries (`Plan.visits`), where a scan per node (a shared
/// literal's consumer list, a row chain's run) made it quadratic.
@Suite struct PlanningCostTests {
  /// The plan's visits for `n` repetitions of `step` applied to `s`, starting from `start`,
  /// traced as one graph.
  static func visits(_ start: String, _ step: String, _ n: Int) throws -> Int {
    let interp = try Interpreter()
    // Written out rather than looped: a loop computes its state every 16 steps
    // (docs/performance.md, "History in loops"), which would cut the chain.
    let source = "s = \(start)\n" + String(repeating: "s = \(step)\n", count: n) + "s"
    return try Plan(LiveGraph(roots: [PlanTestSupport.trace(interp, source)])).visits
  }

  @Test(.tags(.slow), arguments: [
    // One kernel whose members share two literals (each has n consumers).
    ("ones([3])", "s * 1.0001 + 0.5"),
    // A row chain of n kernels: each reads the row maxima the one before computed.
    ("ones([300, 4])", "s - max(s, axis=1, keepdims=true) * 0.5"),
    // n kernels over one-element sums, and primitives between them.
    ("ones([3])", "exp(s * 0.001) - sum(s) * 0.001"),
  ])
  func doublingTheChainDoublesTheWork(start: String, step: String) throws {
    let small = try Self.visits(start, step, 1_000)
    let large = try Self.visits(start, step, 2_000)
    #expect(small > 1_000)
    // Linear: about twice; quadratic would be about four times.
    #expect(Double(large) < 2.2 * Double(small), "\(step): \(small) → \(large)")
  }
}
