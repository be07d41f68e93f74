/// Computes values that are the same along every axis after the first once per row.
///
/// Reverse mode broadcasts a row's reduced value (a norm, a log-sum) back over its row
/// before combining it with other values of that row: in `norm`'s gradient,
/// `select(n == 0, 1, n)` and `g / n` are elementwise over (N, D) although each reads
/// only (N, 1) values, so every element would compute them again (two divisions per
/// element in a triplet loss's gradient). This pass gives such a node the shape
/// (N, 1, …, 1) instead, so the partition computes it in a kernel over the rows (which a
/// row chain runs with the rest) and its users read it broadcast along the row.
///
/// A node is narrowed when it is elementwise or a cast of two axes or more, every input
/// (seen through an expand, which is then skipped) is the same along the trailing axes
/// and one of them varies along the N > 1 rows, it is not a root, and every user is an
/// elementwise node, a cast or an expand (which read any operand broadcast; a reduction
/// would see fewer elements). Values do not change: the same operations on the same
/// operands, once per row.
enum RowUniformNarrowing {
  /// `nodes` with the row-uniform nodes narrowed (same indices; an expand a narrowed node
  /// read may be left unused).
  static func narrowed(_ nodes: [PlanNode], roots: [Int]) -> [PlanNode] {
    var nodes = nodes
    var keep = [Bool](repeating: false, count: nodes.count)
    for r in roots where r >= 0 { keep[r] = true }
    for i in nodes.indices {
      for j in nodes[i].inputs where !nodes[i].isFusable { keep[j] = true }
    }
    for i in nodes.indices where !keep[i] {
      guard let inputs = rowUniformInputs(of: nodes[i], in: nodes) else { continue }
      let node = nodes[i]
      nodes[i] = PlanNode(
        op: node.op, inputs: inputs, shape: [node.shape[0]] + Array(repeating: 1, count: node.shape.count - 1),
        dtype: node.dtype, source: node.source)
    }
    return nodes
  }

  /// The inputs of `node` to read at (N, 1, …, 1), each expand replaced by what it
  /// broadcasts, if `node` is an elementwise node or cast over (N, D, …) with N > 1 and
  /// more than one element per row whose inputs are all the same along the trailing axes,
  /// one of them varying along the rows; nil otherwise.
  private static func rowUniformInputs(of node: PlanNode, in nodes: [PlanNode]) -> [Int]? {
    switch node.op {
    case .pointwise, .cast: break
    default: return nil
    }
    let rank = node.shape.count
    guard rank >= 2, node.shape[0] > 1, node.shape.dropFirst().reduce(1, *) > 1 else { return nil }
    var varies = false
    var inputs: [Int] = []
    for j in node.inputs {
      var source = j
      if case .expand = nodes[j].op { source = nodes[j].inputs[0] }
      let shape = nodes[source].shape
      guard shape.count <= rank else { return nil }
      let padded = Array(repeating: 1, count: rank - shape.count) + shape
      guard padded.dropFirst().allSatisfy({ $0 == 1 }), padded[0] == 1 || padded[0] == node.shape[0] else { return nil }
      varies = varies || padded[0] == node.shape[0]
      inputs.append(source)
    }
    return varies ? inputs : nil
  }
}
