/// Shorthands over `Tracer.binary`/`unary` used by the gradient rules and builtins.
extension Tracer {
  func add(_ a: Node, _ b: Node) throws -> Node { try binary(.add, a, b) }
  func sub(_ a: Node, _ b: Node) throws -> Node { try binary(.sub, a, b) }
  func mul(_ a: Node, _ b: Node) throws -> Node { try binary(.mul, a, b) }
  func div(_ a: Node, _ b: Node) throws -> Node { try binary(.div, a, b) }
  func neg(_ a: Node) -> Node { unary(.neg, a) }

  /// `a * c` for a number `c` in `a`'s dtype.
  func mul(_ a: Node, _ c: Double) throws -> Node { try mul(a, scalar(c, a.dtype)) }
  /// `a + c` for a number `c` in `a`'s dtype.
  func add(_ a: Node, _ c: Double) throws -> Node { try add(a, scalar(c, a.dtype)) }
  /// `a == c` for a number `c`, as 0/1.
  func equal(_ a: Node, _ c: Double) throws -> Node { try binary(.equal, a, scalar(c, a.dtype)) }
  /// `where(cond, a, 0)`.
  func mask(_ cond: Node, _ a: Node) throws -> Node { try select(cond, a, scalar(0, a.dtype)) }
  /// `x` where `keep` holds, `other` where `drop` holds, NaN where neither does: how `relu` and
  /// `clamp` propagate NaN (it compares false both ways). The gradient reaches `x` only where
  /// `keep` holds and `other` only where `drop` holds, so a NaN position gets none.
  func piecewise(keep: Node, _ x: Node, drop: Node, _ other: Node) throws -> Node {
    try select(drop, other, select(keep, x, scalar(.nan, x.dtype)))
  }

  /// The reduced value re-shaped with kept axes, then broadcast to `shape`.
  func unreduce(_ g: Node, from shape: [Int], axes: [Int], keepdims: Bool) throws -> Node {
    let kept = keepdims ? g : try reshape(g, Tracer.reducedShape(shape, axes: axes, keepdims: true))
    return try expand(kept, to: shape)
  }

  /// Swaps the last two axes (matrix transpose of a batch).
  func swapLastTwo(_ x: Node) throws -> Node {
    var perm = Array(0..<x.shape.count)
    perm.swapAt(perm.count - 1, perm.count - 2)
    return try permute(x, perm)
  }
}
