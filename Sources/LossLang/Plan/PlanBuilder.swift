import CLossKernel

/// Turns a walked live graph into a plan graph, simplifying while it builds.
///
/// Every node goes through one hash-consing constructor, so common subexpressions
/// collapse (structural equality of op, attributes and inputs; one-element constants by
/// value). Elementwise ops on one-element constants are folded by the same kernel that
/// would compute them, and `Simplify.swift` cleans up what reverse mode leaves behind.
/// Gathers, scatters and custom operations are never merged: their attributes are not
/// part of the plan key.
struct PlanBuilder {
  /// The nodes built so far, inputs before users (unreachable ones are dropped later).
  private(set) var nodes: [PlanNode] = []
  /// Hash-consing table: encoded node → index.
  private var memo: [[Int]: Int] = [:]

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
      return append(PlanNode(op: .leaf(index), inputs: [], shape: n.shape, dtype: dtype, source: index))
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
      if let t = nodes[x[0]].literal { return literal(try t.converted(to: dtype)) }
      return intern(PlanNode(op: .cast, inputs: x, shape: n.shape, dtype: dtype, source: index), [-3])
    case .expand:
      return expand(x[0], to: n.shape, source: index)
    case .reshape:
      if let t = nodes[x[0]].literal { return literal(try t.reshaped(n.shape)) }
      return primitive(n.op, x, n, index)
    case .reduce:
      return reduction(n.op, x[0], n.shape, dtype, source: index)
    case .norm(2, let axes, let keepdims):
      // sqrt(sum(x * x)), as Executor computes it, so the sum can be a kernel's row output.
      let square = try pointwise(LK_OP_MUL, [x[0], x[0]], nodes[x[0]].shape, dtype, source: index)
      let sum = reduction(.reduce(.sum, axes: axes, keepdims: keepdims), square, n.shape, dtype, source: nil)
      return try pointwise(LK_OP_SQRT, [sum], n.shape, dtype, source: index)
    default:
      return primitive(n.op, x, n, index)
    }
  }

  /// A primitive evaluated on its live node; merged with an equal one unless its
  /// attributes live outside the key (gather, scatter, custom).
  private mutating func primitive(_ op: Op, _ x: [Int], _ n: Node, _ index: Int) -> Int {
    let node = PlanNode(op: .primitive(op), inputs: x, shape: n.shape, dtype: n.dtype.storage, source: index)
    switch op {
    case .gather, .scatterAdd, .custom, .constant:
      return append(node)
    default:
      var tag = [-5]
      LiveGraph.encode(op, into: &tag)
      return intern(node, tag)
    }
  }

  /// A reduction; one a kernel can compute as a sum or row output reads its input through
  /// a fusable node (an identity cast of a leaf or primitive), so that kernel exists.
  /// `source` is nil for a reduction made by a rewrite (the live node computes something else).
  private mutating func reduction(_ op: Op, _ x: Int, _ shape: [Int], _ dtype: DType, source: Int?) -> Int {
    var input = x
    let probe = PlanNode(op: .primitive(op), inputs: [x], shape: shape, dtype: dtype, source: source)
    if !nodes[x].isFusable, probe.reduction(of: nodes[x]) != nil {
      input = intern(PlanNode(op: .cast, inputs: [x], shape: nodes[x].shape, dtype: nodes[x].dtype, source: nil), [-3])
    }
    var tag = [-5]
    LiveGraph.encode(op, into: &tag)
    return intern(PlanNode(op: .primitive(op), inputs: [input], shape: shape, dtype: dtype, source: source), tag)
  }

  /// A one-element constant, shared with any equal one.
  mutating func literal(_ t: Tensor) -> Int {
    let t = t.retagged(t.dtype.storage)
    let key = [-1, t.dtype.code, t.shape.count] + t.shape
      + [Int(bitPattern: UInt(t[flat: 0].bitPattern))]
    if let k = memo[key] { return k }
    let k = append(PlanNode(op: .literal(t), inputs: [], shape: t.shape, dtype: t.dtype, source: nil))
    memo[key] = k
    return k
  }

  /// `x` broadcast to `shape` (x itself if it already has it; a literal if one element).
  mutating func expand(_ x: Int, to shape: [Int], source: Int? = nil) -> Int {
    if nodes[x].shape == shape { return x }
    if let t = nodes[x].literal, shape.reduce(1, *) == 1, let r = try? t.reshaped(shape) { return literal(r) }
    return intern(PlanNode(op: .expand, inputs: [x], shape: shape, dtype: nodes[x].dtype, source: source), [-4])
  }

  /// An elementwise opcode over inputs: folded, simplified, or shared when possible.
  mutating func pointwise(_ op: lk_opcode, _ x: [Int], _ shape: [Int], _ dtype: DType, source: Int?) throws -> Int {
    let literals = x.map { nodes[$0].literal }
    if shape.reduce(1, *) == 1, let values = literals as? [Tensor] {
      let program = KernelProgram.single(op, arity: x.count, dtype: dtype)
      return literal(try program.runStored(shape: shape, inputs: values))
    }
    if let k = try simplified(op, x, literals.map { $0?.scalarValue }, shape, dtype) { return k }
    return intern(PlanNode(op: .pointwise(op), inputs: x, shape: shape, dtype: dtype, source: source),
                  [-2, Int(op.rawValue)])
  }

  /// Appends `node` unless an equal node (same tag, inputs, shape, dtype) exists.
  private mutating func intern(_ node: PlanNode, _ tag: [Int]) -> Int {
    let key = tag + [node.dtype.code, node.shape.count] + node.shape + [-9] + node.inputs
    if let k = memo[key] { return k }
    let k = append(node)
    memo[key] = k
    return k
  }

  private mutating func append(_ node: PlanNode) -> Int {
    nodes.append(node)
    return nodes.count - 1
  }
}
