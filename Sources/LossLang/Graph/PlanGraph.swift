import CLossKernel

/// What a node of an execution plan computes.
///
/// The planner rewrites the traced graph into this form: elementwise work becomes
/// `pointwise` VM opcodes (so rewrites may introduce opcodes no `Op` names), numbers known
/// while planning become `literal`s, and everything the tile VM cannot fuse stays a
/// `primitive` evaluated on the live node it came from.
enum PlanOp {
  /// A value present when planning starts: the live node at this index of the walk.
  case leaf(Int)
  /// A one-element constant whose value is part of the plan (and of its cache key).
  case literal(Tensor)
  /// A tile-VM opcode over the inputs (arity from ops.def).
  case pointwise(lk_opcode)
  /// The input converted to this node's dtype (free inside a fused kernel: done on load).
  case cast
  /// The input broadcast to this node's shape (free inside a fused kernel: a zero stride).
  case expand
  /// Any other primitive, computed by `Executor.evaluate` on the live node `source`.
  case primitive(Op)
}

/// One node of an execution plan: SSA form, inputs before users.
struct PlanNode {
  /// The operation.
  var op: PlanOp
  /// Indices of the operands in the plan graph.
  var inputs: [Int]
  /// Result shape.
  let shape: [Int]
  /// Result dtype.
  let dtype: DType
  /// The live node (index into the walk) this node stands for, for primitives' attributes
  /// and error spans; nil for nodes created by rewrites.
  var source: Int?

  /// Number of elements.
  var count: Int { shape.reduce(1, *) }

  /// The literal's tensor, if this is a literal.
  var literal: Tensor? {
    if case .literal(let t) = op { return t }
    return nil
  }

  /// Whether the tile VM computes this node inside a fused kernel.
  var isFusable: Bool {
    switch op {
    case .pointwise, .cast, .expand: true
    default: false
    }
  }

  /// How a kernel over this node's input can compute it, if this is a sum or maximum
  /// over trailing axes: a full sum (`LK_SUM`) or a row output (`LK_ROWSUM`, `LK_ROWMAX`)
  /// over rows of `rowLength` elements.
  func reduction(of input: PlanNode) -> (mode: lk_output_mode, rowLength: Int)? {
    guard case .primitive(.reduce(let op, let axes, _)) = op, !axes.isEmpty, op == .sum || op == .max,
          axes == Array((input.shape.count - axes.count)..<input.shape.count) else { return nil }
    let rowLength = axes.reduce(1) { $0 * input.shape[$1] }
    guard rowLength > 0, count > 0 else { return nil }
    if count == 1 && op == .sum { return (LK_SUM, 0) }
    return (op == .sum ? LK_ROWSUM : LK_ROWMAX, rowLength)
  }
}

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

/// A structural fingerprint of a live graph (see `LiveGraph.key`).
///
/// Hashing feeds a digest computed once from the tokens, so a cache lookup hashes one
/// word rather than the whole token list.
struct PlanKey: Hashable, Sendable {
  let tokens: [Int]
  /// A multiplicative digest of `tokens`.
  private let digest: Int

  init(tokens: [Int]) {
    self.tokens = tokens
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for t in tokens { h = (h ^ UInt64(bitPattern: Int64(t))) &* 0x0000_0100_0000_01B3 }
    digest = Int(truncatingIfNeeded: h)
  }

  static func == (a: PlanKey, b: PlanKey) -> Bool { a.digest == b.digest && a.tokens == b.tokens }

  func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}
