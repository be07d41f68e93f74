/// Folds 2-D transposes away: the values computed from `xᵀ` are computed transposed, from `x`.
///
/// A transpose `p = permute(x, [1, 0])` is folded when every value computed from it (its
/// *region*: elementwise nodes, casts, broadcasts and reductions keeping their axes, all 2-D)
/// is read only inside the region, by a reduction dropping axes, by a transpose back, or (a
/// value with a unit axis) by a reshape, and
/// none is a root. Each region node `v` is then replaced by a node computing `vᵀ`: elementwise
/// nodes over the transposed inputs (an input from outside the region transposed the same way,
/// down to broadcast one-element values), reductions over the other axes. A reduction over the
/// rows of `p` becomes one over the columns of `x` (a kernel's column output, in the pass over
/// `x`), and a transpose back of `v` is `vᵀ` itself. So `clip_loss`'s column cross entropy
/// reads the logits as they are, and its gradient comes out untransposed: neither (N, N) copy
/// is made.
enum TransposeFolding {
  /// `nodes` (inputs before users) with every foldable transpose the roots need folded, and
  /// the roots in the result.
  static func folded(_ nodes: [PlanNode], roots: [Int]) -> (nodes: [PlanNode], roots: [Int]) {
    var (nodes, roots) = (nodes, roots)
    while let fold = firstFold(nodes, roots: roots) {
      (nodes, roots) = fold.apply(nodes, roots: roots)
    }
    return (nodes, roots)
  }

  /// The first live transpose that can be folded, with its region and the region's readers.
  private static func firstFold(_ nodes: [PlanNode], roots: [Int]) -> Fold? {
    let live = FusionPartition.liveNodes(nodes, roots: roots)
    var users = [[Int]](repeating: [], count: nodes.count)
    for i in nodes.indices where live[i] { for j in nodes[i].inputs where users[j].last != i { users[j].append(i) } }
    for p in nodes.indices where live[p] {
      guard case .primitive(.permute([1, 0])) = nodes[p].op, nodes[p].shape.count == 2 else { continue }
      if let fold = Fold(transpose: p, nodes: nodes, live: live, users: users, roots: Set(roots)) { return fold }
    }
    return nil
  }
}

extension TransposeFolding {
  /// What a node reading a region value is to the fold.
  enum Role {
    /// Computed transposed: an elementwise node, cast or broadcast, or a reduction keeping its axes.
    case inside
    /// Read from the transposed region: a reduction dropping its axes, a transpose back, or a
    /// reshape of a value with a unit axis.
    case exit
  }

  /// The role of `node`, which reads the region value `input`, or nil if it blocks the fold.
  /// A reshape of a 2-D value with a unit axis is an exit: the value and its transpose hold
  /// their elements in the same order (`info_nce`'s row log-sums, reshaped to a vector).
  static func role(of node: PlanNode, reading input: PlanNode) -> Role? {
    switch node.op {
    case .primitive(.reshape):
      return input.shape.count == 2 && input.shape.contains(1) ? .exit : nil
    case .pointwise, .cast, .expand:
      return node.shape.count == 2 ? .inside : nil
    case .primitive(.reduce(_, _, let keepdims)), .primitive(.sumExpShifted(_, let keepdims)):
      return keepdims ? .inside : .exit
    case .primitive(.permute([1, 0])):
      return .exit
    default:
      return nil
    }
  }

  /// `shape` (2-D) with its axes swapped.
  static func swapped(_ shape: [Int]) -> [Int] { [shape[1], shape[0]] }

  /// The op computing `node` from its inputs transposed: a reduction over axes `1 - a`
  /// (made by a rewrite: no graph node computes it), any other op itself.
  static func transposedOp(_ node: PlanNode) -> (op: PlanOp, source: Int?) {
    switch node.op {
    case .primitive(.reduce(let op, let axes, let keepdims)):
      return (.primitive(.reduce(op, axes: axes.map { 1 - $0 }.sorted(), keepdims: keepdims)), nil)
    case .primitive(.sumExpShifted(let axes, let keepdims)):
      return (.primitive(.sumExpShifted(axes: axes.map { 1 - $0 }.sorted(), keepdims: keepdims)), nil)
    default:
      return (node.op, node.source)
    }
  }
}
