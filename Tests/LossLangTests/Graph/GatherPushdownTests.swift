import Testing

@testable import LossLang

/// Indexing a value not computed yet picks from its operands (`Tracer.gatherPushingDown`):
/// the graph gathers from the leaves, and the picked elements have the bits of the whole
/// value computed, then indexed.
@Suite("Gather pushdown")
struct GatherPushdownTests {
  static let definitions = """
    x = randn([50, 40], seed=1) * 4
    b = randn([40], seed=2)
    xt = randn([40, 50], seed=3)
    t = floor(rand([50], seed=4) * 40)
    y = exp(x - max(x, axis=1, keepdims=true)) * b + (transpose(xt) * 2 - 1)
    """

  /// The gathers in the graph of `node`.
  static func gathers(_ node: Node) -> [Node] {
    Node.topologicalOrder(from: [node]).filter { if case .gather = $0.op { true } else { false } }
  }

  @Test func aPickOfAnExpressionReadsOneElementARowOfItsLeaves() throws {
    let interp = try Interpreter()
    let full = try PlanTestSupport.trace(interp, Self.definitions + "\ny")
    let picked = try PlanTestSupport.trace(interp, "y[arange(50), t]")
    // Through exp, sub, mul, add, a broadcast row vector, a row maximum and a transpose.
    let gathers = Self.gathers(picked)
    try #require(!gathers.isEmpty)
    for g in gathers { #expect(g.inputs[0].op.isConstant || g.inputs[0].count <= 50, "a gather of \(g.inputs[0].op)") }
    #expect(gathers.contains { $0.inputs[0].op.isConstant && $0.inputs[0].shape == [50, 40] }, "x is picked from")
    let values = try Executor.materialize([full, picked, PlanTestSupport.trace(interp, "t")], context: interp.context)
    for i in 0..<50 {
      let whole = values[0][flat: i * 40 + Int(values[2][flat: i])]
      #expect(values[1][flat: i].bitPattern == whole.bitPattern, "row \(i)")
    }
  }

  @Test func aGatherOfMostOfAValueOrOfAllOfItStaysWhereItIs() throws {
    let interp = try Interpreter()
    let full = try PlanTestSupport.trace(interp, Self.definitions + "\ny")
    // Thirty rows of fifty: more than a quarter, gathered from the value itself.
    let rows = try PlanTestSupport.trace(interp, "y[0:30]")
    #expect(Self.gathers(rows).map { $0.inputs[0] === full } == [true])
    // Every element in order is the value reshaped: no gather at all.
    let whole = try PlanTestSupport.trace(interp, "y[:, :]")
    #expect(whole === full)
    #expect(Self.gathers(try PlanTestSupport.trace(interp, "reshape(y, [2000])[0:2000]")).isEmpty)
  }

  @Test func anIndexedLiteralIsATensorOfItsOwn() throws {
    // A literal adopts the dtype it meets; an element of it does not (it is a gather, as
    // indexing always was): multi_margin_loss(0.5, 0) prints 0.0 (margin_loss_shapes.loss).
    let interp = try Interpreter()
    let node = try PlanTestSupport.trace(interp, "reshape(0.5, [1, 1])[arange(1), [0]]")
    #expect(!node.isWeak)
    #expect(Self.gathers(node).count == 1)
  }
}
