import Foundation
import Testing

@testable import LossLang

/// Loops cost the same at every step (LANGUAGE.md, Autograd): the mechanisms, not timings.
/// History that no binding reaches is released, one-element values computed on the way are
/// kept, backward walks stop at nodes older than the value differentiated against, and a list
/// literal does not look into the nesting of its items.
@Suite struct LoopHistoryTests {
  /// Adagrad on 256 parameters without `detach`: `steps` steps.
  static func adagrad(steps: Int) -> String {
    """
    w = randn([256], seed=0)
    def loss(w) = sum((w - 0.5)^2 * 0.5 + 0.1 * w^4)
    G = zeros([256])
    lr = 0.1
    for i in 0..<\(steps) {
      g = grad(loss(w), w)
      G = G + g^2
      w = w - lr * g / (sqrt(G) + 1e-10)
    }
    """
  }

  /// Nodes reachable from the tensors bound to global names (the script's functions hold
  /// no tensors).
  static func liveNodes(_ interpreter: Interpreter) -> Int {
    let globals = interpreter.evaluator.globals
    let held = globals.names.compactMap { name -> Node? in
      if case .tensor(let n)? = globals.lookup(name) { return n }
      return nil
    }
    return Node.topologicalOrder(from: held).count
  }

  /// The nodes a materialization of `name` would visit: up to the first computed ones.
  static func pendingWalk(_ interpreter: Interpreter, _ name: String) throws -> Int {
    guard case .tensor(let n)? = interpreter.evaluator.globals.lookup(name) else {
      throw LossLangError(.runtime, "\(name) is not a tensor")
    }
    return Node.topologicalOrder(from: [n]) { $0.value != nil }.count
  }

  @Test func undetachedAdagradKeepsABoundedGraph() throws {
    var counts: [Int] = []
    for steps in [100, 1_000] {
      let interpreter = try Interpreter()
      try interpreter.run(Self.adagrad(steps: steps))
      counts.append(Self.liveNodes(interpreter))
    }
    // A step records about 40 nodes: 1 000 steps of history would be 40 000.
    #expect(counts[1] <= counts[0] + 200, "live nodes after 100 and 1 000 steps: \(counts)")
    #expect(counts[1] < 2_000, "live nodes after 1 000 steps: \(counts[1])")
  }

  /// The same Adagrad with its state in a dict, run by a `while` loop.
  static func adagradInADict(steps: Int) -> String {
    """
    def loss(p) = sum((p["w"] - 0.5)^2 * 0.5 + 0.1 * p["w"]^4)
    state = {"w": randn([256], seed=0), "G": zeros([256])}
    k = 0
    while k < \(steps) {
      g = grad(loss(state), state)["w"]
      G = state["G"] + g^2
      state = {"w": state["w"] - 0.1 * g / (sqrt(G) + 1e-10), "G": G}
      k += 1
    }
    """
  }

  /// Nodes reachable from the tensors in the dict bound to `state`.
  static func liveNodesInState(_ interpreter: Interpreter) -> Int {
    guard case .dict(let d)? = interpreter.evaluator.globals.lookup("state") else { return -1 }
    let held = d.values.compactMap { v -> Node? in if case .tensor(let n) = v { return n } else { return nil } }
    return Node.topologicalOrder(from: held).count
  }

  @Test func whileLoopWithDictStateKeepsABoundedGraph() throws {
    var counts: [Int] = []
    for steps in [100, 1_000] {
      let interpreter = try Interpreter()
      try interpreter.run(Self.adagradInADict(steps: steps))
      counts.append(Self.liveNodesInState(interpreter))
    }
    #expect(counts[0] > 0)
    #expect(counts[1] <= counts[0] + 200, "live nodes after 100 and 1 000 steps: \(counts)")
    #expect(counts[1] < 2_000, "live nodes after 1 000 steps: \(counts[1])")
  }

  @Test func releasedHistoryGivesTheDetachedValues() throws {
    let undetached = try Interpreter()
    try undetached.run(Self.adagrad(steps: 100))
    let detached = try Interpreter()
    try detached.run(Self.adagrad(steps: 100).replacingOccurrences(of: "w = w - lr", with: "w = detach(w - lr")
      .replacingOccurrences(of: "1e-10)\n", with: "1e-10))\n"))
    let a = try #require(try undetached.eval("w").tensor)
    let b = try #require(try detached.eval("w").tensor)
    #expect(a.shape == [256])
    #expect(Tolerance(rtol: 1e-6, atol: 1e-6).accepts(a, b))
  }

  /// `w_n = w0 (1 - 2 lr)^n`: the whole unrolled history stays differentiable with respect
  /// to values the program still holds (closed-form derivatives as the oracle).
  @Test func historyReachingAHeldValueIsKept() throws {
    let interpreter = try Interpreter()
    try interpreter.run("""
      lr = float64(0.1)
      w0 = float64(1.5)
      w = w0
      for i in 0..<40 { w = w - lr * grad(w^2, w) }
      """)
    let dlr = try #require(try interpreter.eval("grad(w, lr)").number)
    let dw0 = try #require(try interpreter.eval("grad(w, w0)").number)
    #expect(Tolerance(atol: 1e-12).accepts(dlr, -2 * 40 * 1.5 * pow(0.8, 39)))
    #expect(Tolerance(atol: 1e-12).accepts(dw0, pow(0.8, 40)))
  }

  /// A value held only by a caller's scope keeps the history of a loop in a callee.
  @Test func callerScopesAreHeld() throws {
    let interpreter = try Interpreter()
    let d = try interpreter.run("""
      def inner(x) {
        y = x
        for i in 0..<40 { y = y * 1.01 }
        y
      }
      def outer() {
        a = float64(0.1)
        r = inner(a * 1)
        grad(r, a)
      }
      outer()
      """).number
    #expect(Tolerance(atol: 1e-12).accepts(try #require(d), pow(1.01, 40)))
  }

  @Test func counterReadByAConditionIsComputedOnce() throws {
    let interpreter = try Interpreter()
    try interpreter.run("""
      n = 0
      for i in 0..<1000 {
        n = n + 1
        if n < 0 { print("negative") }
      }
      m = n + 1
      """)
    #expect(try Self.pendingWalk(interpreter, "m") <= 3)
    #expect(Self.liveNodes(interpreter) < 200)
  }

  @Test func recursionOnANumberKeepsEachArgumentsValue() throws {
    let interpreter = try Interpreter()
    try interpreter.run("""
      def f(n) = if n <= 0 { n } else { f(n - 1) }
      r = f(300)
      s = r + 1
      """)
    #expect(try Self.pendingWalk(interpreter, "s") <= 3)
  }

  /// Stacking decides from the outer level: `[l, "x"]` does not look inside `l`. Inside it
  /// sits a list that would stack into a tensor over the element limit, so a walk of the
  /// nesting would throw "tensor size limit exceeded".
  @Test func nestedListLiteralDoesNotWalkTheNesting() throws {
    let interpreter = try Interpreter()
    try interpreter.run("l = shape(zeros([3, 4]))")
    interpreter.evaluator.limits.maxTensorElements = 1
    let length = try interpreter.run("""
      for i in 0..<100 { l = [l, "x"] }
      for i in 0..<3 { l = [l, 1] }
      len(l)
      """).number
    #expect(length == 2)
  }
}
