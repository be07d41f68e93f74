import CLossKernel

/// The traced graph in the planner's vocabulary: each walked node becomes plan nodes
/// through `PlanBuilder`'s constructors.
extension PlanBuilder {
  /// Builds the plan graph of `live`; returns the nodes and the root indices.
  static func build(_ live: LiveGraph) throws -> (nodes: [PlanNode], roots: [Int]) {
    var b = PlanBuilder()
    var map = [Int](repeating: -1, count: live.order.count)
    for (i, node) in live.order.enumerated() {
      map[i] = try b.add(node, index: i, inputs: live.inputs[i].map { $0 >= 0 ? map[$0] : -1 })
    }
    return (b.nodes, live.roots.map { $0 >= 0 ? map[$0] : -1 })
  }

  /// Adds the plan form of live node `n` (walk position `index`) over mapped inputs.
  ///
  /// A plan computes bool values as the float32 0/1 they are stored as (casts to bool only
  /// ever see 0/1); `ExecutablePlan.results` tags the requested values bool again.
  private mutating func add(_ n: Node, index: Int, inputs x: [Int]) throws -> Int {
    let dtype = n.dtype.storage
    if let value = n.value {
      if value.count == 1 && !n.isPlaceholder { return literal(value) }
      return leaf(index, n.shape, dtype)
    }
    switch n.op {
    case .stopGradient:
      return x[0]
    case .unary(let u):
      return try pointwise(u.opcode, x, n.shape, dtype, source: index)
    case .binary(let b):
      return try pointwise(b.opcode, x, n.shape, dtype, source: index)
    case .select:
      var cond = x[0]
      // As Tensor.select: a float64 condition is tested in float64, not narrowed first.
      if nodes[cond].dtype == .float64 && dtype == .float32 {
        let zero = literal(Tensor(scalar: 0, dtype: .float64))
        cond = try pointwise(LK_OP_NOT_EQUAL, [cond, zero], nodes[cond].shape, .float64, source: index)
      }
      return try pointwise(LK_OP_SELECT, [cond, x[1], x[2]], n.shape, dtype, source: index)
    case .cast:
      return try cast(x[0], to: dtype, source: index)
    case .expand:
      return expand(x[0], to: n.shape, source: index)
    case .reshape:
      if let t = nodes[x[0]].literal { return literal(try t.reshaped(n.shape)) }
      return primitive(.reshape, n, x, index)
    case .permute(let perm):
      return primitive(.permute(perm), n, x, index)
    case .reduce(let op, let axes, let keepdims):
      return reduction(op, axes: axes, keepdims: keepdims, x[0], n.shape, dtype, source: index)
    case .logsumexp(let axes, let keepdims):
      guard let kept = try logSumExp(axes: axes, x[0], dtype) else { return primitive(.other, n, x, index) }
      if keepdims { return kept }
      var reshape: [Int] = []
      LiveGraph.encode(.reshape, into: &reshape)
      // No source: the step reshapes (the graph's node computes the logsumexp itself).
      return primitive(.reshape, tag: reshape, [kept], n.shape, dtype, source: nil)
    case .norm(2, let axes, let keepdims):
      // sqrt(sum(x * x)), as Executor computes it, so the sum can be a kernel's row output.
      let square = try pointwise(LK_OP_MUL, [x[0], x[0]], nodes[x[0]].shape, dtype, source: index)
      let sum = reduction(.sum, axes: axes, keepdims: keepdims, square, n.shape, dtype, source: nil)
      return try pointwise(LK_OP_SQRT, [sum], n.shape, dtype, source: index)
    default:
      return primitive(.other, n, x, index)
    }
  }

  /// A primitive evaluated on its live node; merged with an equal one unless its
  /// attributes live outside the key (gather, scatter, custom).
  private mutating func primitive(_ kind: PlanPrimitive, _ n: Node, _ x: [Int], _ index: Int) -> Int {
    var tag: [Int]?
    switch n.op {
    case .gather, .scatterAdd, .custom, .constant: tag = nil
    default:
      var encoded: [Int] = []
      LiveGraph.encode(n.op, into: &encoded)
      tag = encoded
    }
    return primitive(kind, tag: tag, x, n.shape, n.dtype.storage, source: index)
  }
}
