import Testing

@testable import LossLang

/// The gradient of a pick, one element along an axis for every position of the others
/// (`Tracer.pickCotangent`): a one-hot mask selecting the cotangent, with the values of a
/// scatter into zeros; other gathers keep the scatter.
@Suite("Pick gradients")
struct PickGradientTests {
  /// The ops of the graph of `node`, by name.
  static func ops(_ node: Node) -> Set<String> {
    Set(Node.topologicalOrder(from: [node]).map(\.op.name))
  }

  /// The gradient of sum(w * x[index]) w.r.t. x, traced, with the values of x's gradient,
  /// of the picked positions' weights and of the flat positions picked.
  static func gradient(_ interp: Interpreter, shape: [Int], index: String, picks: Int) throws
    -> (node: Node, grad: Tensor, weights: Tensor, positions: Tensor)
  {
    let setup = """
      x = randn(\(shape), seed=5)
      w = randn([\(picks)], seed=6)
      p = reshape(arange(numel(x)), \(shape))
      """
    let node = try PlanTestSupport.trace(interp, setup + "\ngrad(sum(reshape(x[\(index)], [\(picks)]) * w), x)")
    let values = try Executor.materialize(
      [node, PlanTestSupport.trace(interp, "w"), PlanTestSupport.trace(interp, "reshape(p[\(index)], [\(picks)])")],
      context: interp.context)
    return (node, values[0], values[1], values[2])
  }

  @Test(arguments: [
    ([50, 40], "arange(50), floor(rand([50], seed=7) * 40)", 50),
    ([40, 30], "floor(rand([30], seed=7) * 40), arange(30)", 30),
    ([4, 5, 6], "reshape(arange(4), [4, 1]), floor(rand([4, 6], seed=7) * 5), reshape(arange(6), [1, 6])", 24),
  ])
  func aPickIsGradedByAOneHotMask(shape: [Int], index: String, picks: Int) throws {
    let interp = try Interpreter()
    let (node, grad, weights, positions) = try Self.gradient(interp, shape: shape, index: index, picks: picks)
    let ops = Self.ops(node)
    #expect(!ops.contains("scatter_add") && ops.contains("where"), "\(ops)")
    var want = [Double](repeating: 0, count: grad.count)
    for i in 0..<picks { want[Int(positions[flat: i])] += weights[flat: i] }
    #expect(grad.scalars == want)
  }

  @Test func aGatherOfRepeatedRowsKeepsTheScatter() throws {
    let interp = try Interpreter()
    let (node, grad, weights, positions) = try Self.gradient(interp, shape: [3, 4], index: "[0, 0, 2]", picks: 12)
    #expect(Self.ops(node).contains("scatter_add"))
    var want = [Double](repeating: 0, count: grad.count)
    for i in 0..<12 { want[Int(positions[flat: i])] += weights[flat: i] }
    #expect(grad.scalars.map { Float($0) } == want.map { Float($0) })
  }

  @Test func aPicksGradientPassesGradcheck() throws {
    let interp = try Interpreter()
    _ = try interp.run("""
      x = float64(randn([6, 5], seed=8))
      t = [4, 0, 2, 2, 1, 3]
      gradcheck(fn(x) => sum(exp(x[arange(6), t]) * float64(arange(6))), x)
      gradcheck(fn(x) => sum(log_softmax(x, axis=1)[arange(6), t]), x)
      """)
  }
}
