/// What the planner knows of a primitive it does not fuse: the few facts it acts on, in
/// its own vocabulary.
///
/// A reduction over trailing axes may become a kernel's sum or row output (over leading axes,
/// a column output), a reshape a view inside a row chain, and a transpose folded into the
/// values reading it; everything else is opaque, computed by the graph that was
/// walked (`ExecutionGraph.evaluate`).
enum PlanPrimitive {
  /// A reduction over `axes` (as `Tensor.reduced`).
  case reduce(ReduceOp, axes: [Int], keepdims: Bool)
  /// The sum over `axes` of `exp(x - m)`, `m` the maximum of `x` over them (kept): a kernel's
  /// `LK_ROWSUMEXP` row output (trailing axes) or `LK_COLSUMEXP` column output (leading axes),
  /// in the pass computing that maximum.
  case sumExpShifted(axes: [Int], keepdims: Bool)
  /// The input's elements in the node's shape.
  case reshape
  /// The input's axes in the order `perm` (a copy); a 2-D transpose read only elementwise
  /// and by reductions is folded away (`TransposeFolding`).
  case permute([Int])
  /// Any other primitive.
  case other
}
