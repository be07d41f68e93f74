/// Indexing a value not yet computed picks from its operands instead: `(x - m)[i, t]` is
/// `x[i, t] - m[i]`, so `cross_entropy`'s pick of each row's target logit reads one element
/// a row rather than making the planner store the whole `x - m` for a gather.
extension Tracer {
  /// `x[positions]` (flat C-order positions, `shape` the result's), pushed through the
  /// elementwise ops, casts, reshapes, broadcasts and permutes that `x` is made of when it
  /// picks at most a quarter of `x` and `x` has no value yet: each operand is gathered at
  /// the positions the picked elements read, and the ops recomputed on those alone (the same
  /// instructions on the same values: the same bits). A gather of every element in order is
  /// a reshape. Indexing a literal (weakly typed) gathers it as before.
  func gatherPushingDown(_ x: Node, _ positions: [Int], shape: [Int]) throws -> Node {
    // An indexed literal is a tensor of its own (strong), as a gather makes it.
    if x.isWeak { return gather(x, IndexList(positions), shape: shape) }
    var pushdown = GatherPushdown(tracer: self)
    return try pushdown.gather(x, positions, shape: shape)
  }
}

/// The state of one ``Tracer/gatherPushingDown(_:_:shape:)``: the gathers made so far, so a
/// node an expression reads twice is gathered once, and how many nodes may still be pushed
/// through.
private struct GatherPushdown {
  let tracer: Tracer
  /// Per node reached: the positions it was gathered at and the result.
  private var made: [ObjectIdentifier: [(positions: [Int], node: Node)]] = [:]
  /// How many more nodes the gather may pass (an expression of thousands of nodes keeps
  /// its gather where it is).
  private var budget = 64

  init(tracer: Tracer) { self.tracer = tracer }

  /// `x` at `positions`, in `shape`: pushed through `x`'s op when it may be, else a gather.
  mutating func gather(_ x: Node, _ positions: [Int], shape: [Int]) throws -> Node {
    if positions.count == x.count, positions.elementsEqual(0..<x.count) { return try tracer.reshape(x, shape) }
    if let known = made[ObjectIdentifier(x)]?.first(where: { $0.positions == positions }) { return known.node }
    let node = try pushed(x, positions, shape: shape)
      ?? tracer.gather(x, IndexList(positions), shape: shape)
    made[ObjectIdentifier(x), default: []].append((positions, node))
    return node
  }

  /// `x`'s op applied to its operands gathered at `positions`, or nil when `x` has a value,
  /// picks too much of it, or is an op a gather does not pass.
  private mutating func pushed(_ x: Node, _ positions: [Int], shape: [Int]) throws -> Node? {
    guard x.value == nil, positions.count * 4 <= x.count, budget > 0 else { return nil }
    switch x.op {
    case .unary, .binary, .select, .cast, .stopGradient:
      budget -= 1
      // A one-element operand (a literal) is broadcast as it is.
      let inputs = try x.inputs.map { input in
        input.count == 1 ? try tracer.reshape(input, [])
          : try gather(input, Self.translated(positions, from: x.shape, strides: Broadcast.strides(of: input.shape, over: x.shape)),
                       shape: shape)
      }
      return Node(op: x.op, inputs: inputs, shape: shape, dtype: x.dtype, isWeak: x.isWeak, span: tracer.span)
    case .reshape:
      budget -= 1
      return try gather(x.inputs[0], positions, shape: shape)
    case .expand:
      budget -= 1
      let input = x.inputs[0]
      return try gather(input, Self.translated(positions, from: x.shape, strides: Broadcast.strides(of: input.shape, over: x.shape)),
                        shape: shape)
    case .permute(let perm):
      budget -= 1
      let input = x.inputs[0], inputStrides = Broadcast.contiguousStrides(input.shape)
      return try gather(input, Self.translated(positions, from: x.shape, strides: perm.map { inputStrides[$0] }), shape: shape)
    default:
      return nil
    }
  }

  /// The flat positions in an operand of the elements at `positions` of a tensor of `shape`:
  /// coordinate d of a position moves the operand's position by `strides[d]`.
  static func translated(_ positions: [Int], from shape: [Int], strides: [Int]) -> [Int] {
    let own = Broadcast.contiguousStrides(shape)
    if strides == own { return positions }
    // (axis stride, its extent, the operand's stride) for the axes the operand moves along.
    let axes = shape.indices.filter { strides[$0] != 0 }.map { (own[$0], shape[$0], strides[$0]) }
    if axes.isEmpty { return [Int](repeating: 0, count: positions.count) }
    return positions.map { p in
      var q = 0
      for (step, extent, stride) in axes { q &+= (p / step) % extent &* stride }
      return q
    }
  }
}
