/// What the planner knows of a primitive it does not fuse: the few facts it acts on, in
/// its own vocabulary.
///
/// A reduction over trailing axes may become a kernel's sum or row output, and a reshape a
/// view inside a row chain; everything else is opaque, computed by the graph that was
/// walked (`ExecutionGraph.evaluate`).
enum PlanPrimitive {
  /// A reduction over `axes` (as `Tensor.reduced`).
  case reduce(ReduceOp, axes: [Int], keepdims: Bool)
  /// The sum over trailing `axes` of `exp(x - m)`, `m` the maximum of `x` over them (kept):
  /// a kernel's `LK_ROWSUMEXP` row output, in the pass computing that maximum.
  case sumExpShifted(axes: [Int], keepdims: Bool)
  /// The input's elements in the node's shape.
  case reshape
  /// Any other primitive.
  case other
}
