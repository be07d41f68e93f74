import CLossKernel

/// Algebraic cleanup applied as the plan graph is built.
///
/// Reverse mode leaves `g * 1`, `x + 0` and `where(true, a, b)` behind; constant powers
/// (`(1 - pt)^2`) are cheaper as multiplies (numexpr's `pow_op`). Only rewrites that keep
/// every value are made: `x * 0` is never folded (x may be NaN or infinite), and powers
/// keep pow's special cases (see `power`). The traced graph is untouched, so gradients
/// still see the original ops.
extension PlanBuilder {
  /// The replacement of `op(x)` when a rule applies; `c[i]` is input i's value when it
  /// is a one-element constant.
  mutating func simplified(_ op: lk_opcode, _ x: [Int], _ c: [Double?], _ shape: [Int], _ dtype: DType) throws
    -> Int?
  {
    switch op {
    case LK_OP_MUL:
      if c[1] == 1 { return same(x[0], shape) }
      if c[0] == 1 { return same(x[1], shape) }
      if c[1] == -1, nodes[x[0]].shape == shape { return try pointwise(LK_OP_NEG, [x[0]], shape, dtype, source: nil) }
      if c[0] == -1, nodes[x[1]].shape == shape { return try pointwise(LK_OP_NEG, [x[1]], shape, dtype, source: nil) }
      if let k = try negatedLiteral(in: x, op, shape, dtype) { return k }
    case LK_OP_DIV:
      if c[1] == 1 { return same(x[0], shape) }
      if let k = try negatedLiteral(in: x, op, shape, dtype) { return k }
    case LK_OP_ADD:
      if c[1] == 0 { return same(x[0], shape) }
      if c[0] == 0 { return same(x[1], shape) }
      // a + (-b) = a - b and (-a) + b = b - a, exactly.
      if let b = negated(x[1]) { return try pointwise(LK_OP_SUB, [x[0], b], shape, dtype, source: nil) }
      if let a = negated(x[0]) { return try pointwise(LK_OP_SUB, [x[1], a], shape, dtype, source: nil) }
    case LK_OP_SUB:
      if c[1] == 0 { return same(x[0], shape) }
      if let b = negated(x[1]) { return try pointwise(LK_OP_ADD, [x[0], b], shape, dtype, source: nil) }
    case LK_OP_NEG:
      if let a = negated(x[0]) { return a }
      // -(a * c) = a * (-c) and -(a / c) = a / (-c), exactly.
      if case .pointwise(let inner) = nodes[x[0]].op, inner == LK_OP_MUL || inner == LK_OP_DIV,
        nodes[x[0]].shape == shape,
        let k = try negatedLiteral(in: nodes[x[0]].inputs, inner, shape, dtype, negate: true)
      {
        return k
      }
    case LK_OP_SELECT:
      if let cond = c[0] { return same(cond != 0 ? x[1] : x[2], shape) }
    case LK_OP_POW:
      if let p = c[1], nodes[x[0]].shape == shape { return try power(x[0], p, dtype) }
    default:
      break
    }
    return nil
  }

  /// `x` as a value of `shape` (broadcast if it is smaller).
  private mutating func same(_ x: Int, _ shape: [Int]) -> Int {
    expand(x, to: shape)
  }

  /// The operand of `x` if `x` is a negation.
  private func negated(_ x: Int) -> Int? {
    if case .pointwise(LK_OP_NEG) = nodes[x].op { return nodes[x].inputs[0] }
    return nil
  }

  /// For `op` (mul or div) over `x` = [a, c] or [c, a] with a one-element constant c and
  /// `a = -b` of the result's shape: the same op over b and -c. With `negate`, the op's
  /// own negation `-(a op c)` as `a op -c` (then `a` need not be a negation).
  private mutating func negatedLiteral(
    in x: [Int], _ op: lk_opcode, _ shape: [Int], _ dtype: DType, negate: Bool = false
  ) throws -> Int? {
    guard let side = x.firstIndex(where: { nodes[$0].literal != nil }), x.count == 2,
      let t = nodes[x[side]].literal, let c = t.scalarValue
    else { return nil }
    let other = x[1 - side]
    guard nodes[other].literal == nil, nodes[other].shape == shape else { return nil }
    let operand: Int
    if negate {
      operand = other
    } else if let b = negated(other) {
      operand = b
    } else {
      return nil
    }
    let flipped = literal(try Tensor(scalar: -c, dtype: dtype).reshaped(t.shape))
    return try pointwise(op, side == 0 ? [flipped, operand] : [operand, flipped], shape, dtype, source: nil)
  }

  /// `x^p` for a constant integer or half-integer `p` with |p| <= 16, as multiplies,
  /// `powHalf` (a square root with pow's special cases) and a reciprocal; nil otherwise.
  ///
  /// `x^(k+0.5)` is `|x|^k * powHalf(x)`: the `|x|` keeps pow's `(-inf)^1.5 = +inf`, and
  /// any other negative x gives NaN through `powHalf`, as pow does.
  private mutating func power(_ x: Int, _ p: Double, _ dtype: DType) throws -> Int? {
    let shape = nodes[x].shape
    if p == 0 { return expand(literal(Tensor(scalar: 1, dtype: dtype)), to: shape) }
    let twice = 2 * abs(p)
    guard twice <= 33, twice == twice.rounded() else { return nil }
    let whole = Int(abs(p))
    let isHalf = Int(twice) % 2 == 1
    var result: Int?
    if whole > 0 {
      let base = isHalf ? try pointwise(LK_OP_ABS, [x], shape, dtype, source: nil) : x
      result = try integerPower(base, whole, dtype)
    }
    if isHalf {
      let root = try pointwise(LK_OP_POW_HALF, [x], shape, dtype, source: nil)
      result = try result.map { try pointwise(LK_OP_MUL, [$0, root], shape, dtype, source: nil) } ?? root
    }
    guard let magnitude = result else { return nil }
    return p < 0 ? try pointwise(LK_OP_RECIPROCAL, [magnitude], shape, dtype, source: nil) : magnitude
  }

  /// `x^k` for k >= 1 by repeated squaring.
  private mutating func integerPower(_ x: Int, _ k: Int, _ dtype: DType) throws -> Int {
    let shape = nodes[x].shape
    var result: Int?
    var square = x
    var e = k
    while e > 0 {
      if e & 1 == 1 {
        result = try result.map { try pointwise(LK_OP_MUL, [$0, square], shape, dtype, source: nil) } ?? square
      }
      e >>= 1
      if e > 0 { square = try pointwise(LK_OP_MUL, [square, square], shape, dtype, source: nil) }
    }
    return result ?? x
  }
}
