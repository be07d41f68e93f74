import CLossKernel

/// Builds a plan graph node by node, simplifying while it builds.
///
/// The layer that walked a graph adds its nodes through these constructors
/// (`PlanBuilder+Graph.swift` for the traced graph). Every node goes through one
/// hash-consing constructor, so common subexpressions collapse (structural equality of
/// op, attributes and inputs; one-element constants by value). Elementwise ops on
/// one-element constants are folded by the same kernel that would compute them, and
/// `Simplify.swift` cleans up what reverse mode leaves behind. A primitive without a tag
/// (gathers, scatters and custom operations, whose attributes are not part of the plan
/// key) is never merged.
struct PlanBuilder {
  /// The nodes built so far, inputs before users (unreachable ones are dropped later).
  private(set) var nodes: [PlanNode] = []
  /// Hash-consing table: encoded node → index.
  private var memo: [[Int]: Int] = [:]

  /// A primitive the graph computes on its node at walk position `source`; merged with an
  /// equal one (same `tag`, which encodes its kind and attributes) unless `tag` is nil.
  mutating func primitive(_ kind: PlanPrimitive, tag: [Int]?, _ x: [Int], _ shape: [Int], _ dtype: DType,
                          source: Int?) -> Int {
    let node = PlanNode(op: .primitive(kind), inputs: x, shape: shape, dtype: dtype, source: source)
    guard let tag else { return append(node) }
    return intern(node, [-5] + tag)
  }

  /// A reduction; one a kernel can compute as a sum or row output reads its input through
  /// a fusable node (an identity cast of a leaf or primitive), so that kernel exists. A sum
  /// of `exp(a - max(a))` is one node computed with that maximum (`shiftedExpSum`).
  /// `source` is nil for a reduction made by a rewrite (the graph's node computes something else).
  mutating func reduction(_ op: ReduceOp, axes: [Int], keepdims: Bool, _ x: Int, _ shape: [Int], _ dtype: DType,
                          source: Int?) -> Int {
    if op == .sum, let k = shiftedExpSum(axes: axes, keepdims: keepdims, x, shape, dtype) { return k }
    var input = x
    let kind = PlanPrimitive.reduce(op, axes: axes, keepdims: keepdims)
    let probe = PlanNode(op: .primitive(kind), inputs: [x], shape: shape, dtype: dtype, source: source)
    if !nodes[x].isFusable, probe.reduction(of: nodes[x]) != nil {
      input = intern(PlanNode(op: .cast, inputs: [x], shape: nodes[x].shape, dtype: nodes[x].dtype, source: nil), [-3])
    }
    let tag = [-6, Int(op.code), keepdims ? 1 : 0, axes.count] + axes
    return intern(PlanNode(op: .primitive(kind), inputs: [input], shape: shape, dtype: dtype, source: source), tag)
  }

  /// `x` converted to `dtype` (a literal converted now).
  mutating func cast(_ x: Int, to dtype: DType, source: Int?) throws -> Int {
    if let t = nodes[x].literal { return literal(try t.converted(to: dtype)) }
    return intern(PlanNode(op: .cast, inputs: [x], shape: nodes[x].shape, dtype: dtype, source: source), [-3])
  }

  /// A leaf: the value of the graph's node at walk position `position`.
  mutating func leaf(_ position: Int, _ shape: [Int], _ dtype: DType) -> Int {
    append(PlanNode(op: .leaf(position), inputs: [], shape: shape, dtype: dtype, source: position))
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
  mutating func intern(_ node: PlanNode, _ tag: [Int]) -> Int {
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
