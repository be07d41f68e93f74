/// Releases history that no later `grad` can differentiate through.
///
/// `grad(y, x)` follows the nodes between `x` and `y`, and `x` must be a value the program
/// still holds. Below a computed node, a part of the history that reaches no held node can
/// therefore never be followed again: not by a gradient taken through the computed node (it
/// would need a held `x` down there), and not by anything else (values are cached). Such a
/// node is made a leaf (`Node.dropHistory`), and whatever only it kept alive is freed. History
/// that does reach a held value (training data, a hyperparameter a later `grad` may ask
/// about) is kept whole.
enum HistoryPruning {
  /// Makes a leaf of every computed node below `roots` whose history reaches no held node.
  ///
  /// `forEachHeld` calls its argument with every node the program holds (the roots among
  /// them). The walk visits at most `budget` nodes; a node past the budget counts as one
  /// that may reach a held node, so a long history that is kept costs a bounded walk.
  /// Returns the number of nodes made leaves.
  @discardableResult
  static func prune(below roots: [Node], budget: Int, forEachHeld: ((Node) -> Void) -> Void) -> Int {
    var visited = 0
    var unexplored = NodeIndex()
    let (order, position) = Node.walk(from: roots) { node in
      visited += 1
      guard visited > budget, !node.inputs.isEmpty else { return false }
      unexplored.set(node, 0)
      return true
    }
    // Only a computed node with inputs can become a leaf; without one, holdings do not matter.
    guard order.contains(where: { $0.value != nil && !$0.inputs.isEmpty }) else { return 0 }
    var reaches = [Bool](repeating: false, count: order.count)
    // A rewritten node whose written formula holds a held value keeps its history.
    let owners = RewriteFallback.owners(in: order)
    var holdsInside = [Bool](repeating: false, count: order.count)
    forEachHeld { node in
      if let i = position[node] { reaches[i] = true }
      for i in owners[ObjectIdentifier(node)] ?? [] { holdsInside[i] = true }
    }
    var leaves: [Node] = []
    for (i, node) in order.enumerated() {
      if unexplored.contains(node) {
        reaches[i] = true
        continue
      }
      let below = holdsInside[i] || node.inputs.contains { position[$0].map { reaches[$0] } ?? true }
      if below {
        reaches[i] = true
      } else if node.value != nil, !node.inputs.isEmpty {
        leaves.append(node)
      }
    }
    for node in leaves { node.dropHistory() }
    return leaves.count
  }
}
