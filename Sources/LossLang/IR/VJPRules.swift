/// One vector-Jacobian product rule per primitive, each written with traced primitives
/// so that gradients are graph nodes and can be differentiated again.
///
/// A rule gets the node, its cotangent `g` (the node's shape) and which inputs need a
/// gradient; it returns one cotangent per input (nil = zero), already summed back to
/// the input's shape when the op broadcasts.
extension Tracer {
  /// Cotangents of `node`'s inputs given the cotangent `g` of its output.
  func vjp(_ node: Node, _ g: Node, needs: [Bool]) throws -> [Node?] {
    let x = node.inputs
    switch node.op {
    case .constant, .argReduce, .stopGradient:
      return []
    case .unary(let op):
      return [try unaryVJP(op, x[0], node, g)]
    case .binary(let op):
      let (ga, gb) = try binaryVJP(op, x[0], x[1], node, g, needs: needs)
      return [try ga.map { try sum($0, toShape: x[0].shape) }, try gb.map { try sum($0, toShape: x[1].shape) }]
    case .select:
      let zero = scalar(0, g.dtype)
      return [nil,
              try sum(select(x[0], g, zero), toShape: x[1].shape),
              try sum(select(x[0], zero, g), toShape: x[2].shape)]
    case .reduce(let op, let axes, let keepdims):
      return [try reduceVJP(op, x[0], node, g, axes: axes, keepdims: keepdims)]
    case .logsumexp(let axes, let keepdims):
      let lse = try unreduce(node, from: x[0].shape, axes: axes, keepdims: keepdims)
      let gx = try unreduce(g, from: x[0].shape, axes: axes, keepdims: keepdims)
      return [try mul(gx, unary(.exp, sub(x[0], lse)))]
    case .norm(let p, let axes, let keepdims):
      return [try normVJP(p, x[0], node, g, axes: axes, keepdims: keepdims)]
    case .cast:
      return [try cast(g, to: x[0].dtype)]
    case .reshape:
      return [try reshape(g, x[0].shape)]
    case .permute(let perm):
      var inverse = perm
      for (i, p) in perm.enumerated() { inverse[p] = i }
      return [try permute(g, inverse)]
    case .expand:
      return [try sum(g, toShape: x[0].shape)]
    case .gather(let indices):
      return [try pickCotangent(g, indices, shape: x[0].shape) ?? scatterAdd(g, indices, shape: x[0].shape)]
    case .scatterAdd(let indices):
      return [gather(g, indices, shape: x[0].shape)]
    case .matmul:
      return [
        needs[0] ? try sum(matmul(g, matrixTranspose(x[1])), toShape: x[0].shape) : nil,
        needs[1] ? try sum(matmul(matrixTranspose(x[0]), g), toShape: x[1].shape) : nil,
      ]
    case .custom(let op):
      return try op.vjp(node, g, needs: needs, tracer: self)
    case .concat(let axis):
      var offset = 0
      return try x.map { part in
        defer { offset += part.shape[axis] }
        let ranges = g.shape.enumerated().map { i, d in
          i == axis ? StrideRange(start: offset, count: part.shape[axis], step: 1) : StrideRange(start: 0, count: d, step: 1)
        }
        return gather(g, try IndexList.strided(shape: g.shape, ranges), shape: part.shape)
      }
    }
  }

  private func unaryVJP(_ op: UnaryOp, _ x: Node, _ out: Node, _ g: Node) throws -> Node? {
    switch op {
    case .neg: return neg(g)
    case .exp: return try mul(g, out)
    case .log: return try div(g, x)
    case .log1p: return try div(g, add(x, 1))
    case .expm1: return try mul(g, add(out, 1))
    case .sqrt: return try div(g, mul(out, 2))
    case .abs: return try mul(g, unary(.sign, x))
    case .sign, .floor, .ceil, .round: return nil
    case .sin: return try mul(g, unary(.cos, x))
    case .cos: return try neg(mul(g, unary(.sin, x)))
    case .tanh: return try mul(g, sub(scalar(1, out.dtype), mul(out, out)))
    case .sigmoid: return try mul(g, mul(out, sub(scalar(1, out.dtype), out)))
    case .logsigmoid: return try mul(g, unary(.sigmoid, neg(x)))
    case .softplus:
      // PyTorch's threshold: above 20 the function is the identity, and so is its gradient.
      return try select(binary(.greater, x, scalar(20, x.dtype)), g, mul(g, unary(.sigmoid, x)))
    case .reciprocal: return try neg(mul(g, mul(out, out)))
    }
  }

  private func binaryVJP(
    _ op: BinaryOp, _ a: Node, _ b: Node, _ out: Node, _ g: Node, needs: [Bool]
  ) throws -> (Node?, Node?) {
    switch op {
    case .add: return (g, g)
    case .sub: return (g, neg(g))
    case .mul: return (needs[0] ? try mul(g, b) : nil, needs[1] ? try mul(g, a) : nil)
    case .div:
      // PyTorch: -grad * ((self / other) / other).
      return (needs[0] ? try div(g, b) : nil, needs[1] ? try neg(mul(g, div(out, b))) : nil)
    case .pow:
      var ga: Node?
      var gb: Node?
      if needs[0] {
        let d = try mul(g, mul(b, binary(.pow, a, powerMinusOne(b))))
        // A constant exponent known to be nonzero needs no zero-exponent case.
        let isNonzero = b.op.isConstant && !b.isPlaceholder && b.value.map { $0.count == 1 && $0[flat: 0] != 0 } == true
        ga = isNonzero ? d : try select(equal(b, 0), scalar(0, g.dtype), d)
      }
      if needs[1] {
        let zeroBase = try mul(equal(a, 0), binary(.greaterEqual, b, scalar(0, b.dtype)))
        gb = try mul(g, select(zeroBase, scalar(0, g.dtype), mul(out, unary(.log, a))))
      }
      return (ga, gb)
    case .maximum, .minimum:
      // Ties split the gradient evenly, as torch.maximum / torch.minimum.
      let wins: BinaryOp = op == .maximum ? .greater : .less
      let tie = try binary(.equal, a, b)
      let half = try mul(g, 0.5)
      let zero = scalar(0, g.dtype)
      return (needs[0] ? try select(tie, half, select(binary(wins, a, b), g, zero)) : nil,
              needs[1] ? try select(tie, half, select(binary(wins, b, a), g, zero)) : nil)
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
      return (nil, nil)
    }
  }

  /// `b - 1` for the power rule, as `add(b, -1)` computes it (in float64, then cast to
  /// `b`'s dtype by the `pow` it feeds). A 0-d float32 literal is folded: `add` would widen
  /// it through a new node nothing else refers to, so no gradient path is lost.
  private func powerMinusOne(_ b: Node) throws -> Node {
    if b.isWeak, b.dtype == .float32, b.shape.isEmpty, b.op.isConstant, let v = b.value {
      return scalar(v[flat: 0] + -1, .float64)
    }
    return try add(b, -1)
  }

  private func reduceVJP(
    _ op: ReduceOp, _ x: Node, _ out: Node, _ g: Node, axes: [Int], keepdims: Bool
  ) throws -> Node {
    let gx = try unreduce(g, from: x.shape, axes: axes, keepdims: keepdims)
    switch op {
    case .sum:
      return gx
    case .max, .min:
      // Ties share the gradient evenly (PyTorch's rule for a full max/min).
      let hit = try binary(.equal, x, unreduce(out, from: x.shape, axes: axes, keepdims: keepdims))
      let count = reduce(.sum, hit, axes: axes, keepdims: true)
      return try mul(gx, div(hit, expand(count, to: x.shape)))
    case .prod:
      // Gradient of a product = product of the others, computed without dividing by zero.
      let isZero = try equal(x, 0)
      let safe = try select(isZero, scalar(1, x.dtype), x)
      let zeros = try unreduce(reduce(.sum, isZero, axes: axes, keepdims: true), from: x.shape, axes: axes, keepdims: true)
      let prodNonZero = try unreduce(reduce(.prod, safe, axes: axes, keepdims: true), from: x.shape, axes: axes, keepdims: true)
      let full = try unreduce(out, from: x.shape, axes: axes, keepdims: keepdims)
      let others = try select(isZero, mul(prodNonZero, equal(zeros, 1)), div(full, safe))
      return try mul(gx, others)
    }
  }

  private func normVJP(
    _ p: Double, _ x: Node, _ out: Node, _ g: Node, axes: [Int], keepdims: Bool
  ) throws -> Node {
    let gx = try unreduce(g, from: x.shape, axes: axes, keepdims: keepdims)
    if p == 1 { return try mul(gx, unary(.sign, x)) }
    let n = try unreduce(out, from: x.shape, axes: axes, keepdims: keepdims)
    if p == .infinity {
      // The largest |x| gets the gradient (shared evenly among ties), with x's sign.
      let hit = try binary(.equal, unary(.abs, x), n)
      let count = try expand(reduce(.sum, hit, axes: axes, keepdims: true), to: x.shape)
      return try mul(gx, mul(unary(.sign, x), div(hit, count)))
    }
    let isZero = try equal(n, 0)
    let safeNorm = try select(isZero, scalar(1, n.dtype), n)
    let scaled: Node
    if p == 2 {
      scaled = try mul(x, div(gx, safeNorm))
    } else {
      // PyTorch: self * |self|^(p-2) * grad / norm^(p-1).
      let absPow = try binary(.pow, unary(.abs, x), scalar(p - 2, x.dtype))
      scaled = try div(mul(mul(x, absPow), gx), binary(.pow, safeNorm, scalar(p - 1, x.dtype)))
    }
    return try select(isZero, scalar(0, x.dtype), scaled)
  }

  /// `x` with its last two axes swapped; when `x` is itself such a swap (`b` in
  /// `a @ transpose(b)`), its input, so the gradient does not copy the matrix twice.
  private func matrixTranspose(_ x: Node) throws -> Node {
    let rank = x.shape.count
    if rank >= 2, case .permute(let perm) = x.op, perm == Array(0..<rank - 2) + [rank - 1, rank - 2],
      let input = x.inputs.first
    {
      return input
    }
    return try swapLastTwo(x)
  }
}
