/// The part of a traced graph one materialization computes, walked once.
///
/// The walk stops at nodes that already have a value (leaves). `key` encodes everything
/// a plan depends on: structure, op attributes, shapes, dtypes, and the values of
/// one-element constants (which the planner folds); larger values are data, so a graph
/// of the same structure on new data of the same shapes reuses the plan.
struct LiveGraph {
  /// The nodes, inputs before users.
  let order: [Node]
  /// Position of each requested node in `order`.
  let roots: [Int]
  /// The plan cache key.
  let key: PlanKey
  /// Where each node's operand count (then its operands' positions) sits in `key.tokens`;
  /// -1 for leaves.
  private let inputStarts: [Int]

  /// Positions of each node's operands in `order`.
  var inputs: InputLists { InputLists(tokens: key.tokens, starts: inputStarts) }

  /// The operand positions of every node, read from the key's tokens.
  struct InputLists {
    let tokens: [Int]
    let starts: [Int]

    /// The operand positions of node `i`.
    subscript(i: Int) -> ArraySlice<Int> {
      let start = starts[i]
      guard start >= 0 else { return tokens[0..<0] }
      return tokens[(start + 1)..<(start + 1 + tokens[start])]
    }
  }

  /// Walks the graph below `roots`.
  init(roots nodes: [Node]) {
    let (order, index) = Node.walk(from: nodes) { $0.value != nil }
    self.order = order
    var tokens: [Int] = []
    tokens.reserveCapacity(order.count * 8 + nodes.count + 1)
    var starts = [Int](repeating: -1, count: order.count)
    for (i, node) in order.enumerated() {
      tokens.append(node.dtype.code)
      tokens.append(node.shape.count)
      tokens.append(contentsOf: node.shape)
      if let value = node.value {
        let known = value.count == 1 && !node.isPlaceholder
        tokens.append(known ? 1 : 0)
        if known { tokens.append(Int(bitPattern: UInt(value[flat: 0].bitPattern))) }
        continue
      }
      tokens.append(2)
      Self.encode(node.op, into: &tokens)
      starts[i] = tokens.count
      tokens.append(node.inputs.count)
      for input in node.inputs { tokens.append(index[input] ?? -1) }
    }
    inputStarts = starts
    let roots = nodes.map { index[$0] ?? -1 }
    self.roots = roots
    tokens.append(-7)
    tokens.append(contentsOf: roots)
    key = PlanKey(tokens: tokens)
  }

  /// Appends an op's kind and the attributes a plan depends on. Gather and scatter
  /// indices and custom operations are read from the live node when the plan runs, so
  /// only their kind is encoded.
  static func encode(_ op: Op, into t: inout [Int]) {
    func append(_ items: Int...) { t.append(contentsOf: items) }
    func appendAxes(_ axes: [Int]) {
      t.append(axes.count)
      t.append(contentsOf: axes)
    }
    switch op {
    case .constant: t.append(0)
    case .unary(let u):
      t.append(1)
      t.append(Int(u.opcode.rawValue))
    case .binary(let b):
      t.append(2)
      t.append(Int(b.opcode.rawValue))
    case .select: t.append(3)
    case .reduce(let r, let axes, let keep):
      append(4, Int(r.code), keep ? 1 : 0)
      appendAxes(axes)
    case .logsumexp(let axes, let keep):
      append(5, keep ? 1 : 0)
      appendAxes(axes)
    case .norm(let p, let axes, let keep):
      append(6, Int(bitPattern: UInt(p.bitPattern)), keep ? 1 : 0)
      appendAxes(axes)
    case .argReduce(let isMax, let axis, let keep): append(7, isMax ? 1 : 0, axis ?? -1, keep ? 1 : 0)
    case .stopGradient: t.append(8)
    case .cast(let d):
      t.append(9)
      t.append(d.code)
    case .reshape: t.append(10)
    case .permute(let perm):
      t.append(11)
      appendAxes(perm)
    case .expand: t.append(12)
    case .gather: t.append(13)
    case .scatterAdd: t.append(14)
    case .matmul: t.append(15)
    case .concat(let axis):
      t.append(16)
      t.append(axis)
    case .custom: t.append(17)
    }
  }
}
