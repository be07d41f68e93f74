import CLossKernel

/// `logsumexp` in the planner's one-pass log-sum-exp rather than as a primitive of its own
/// (one thread, an exponential from libm per element: ten times cross_entropy's time).
extension PlanBuilder {
  /// The node for `logsumexp(x)` over `axes`, kept: `m + log(sum(exp(x - m)))` with `m` the
  /// maximum over the axes, whose sum `shiftedExpSum` computes in the pass finding `m`
  /// (`LK_ROWSUMEXP` over trailing axes, `LK_COLSUMEXP` over leading ones), and `m` itself
  /// where it is infinite, as torch.logsumexp gives (-inf for a row of -inf only, +inf for one
  /// holding +inf; NaN for one holding NaN). nil for a 0-d `x`, an empty axis, or axes that
  /// are neither trailing nor leading (the primitive computes those).
  mutating func logSumExp(axes: [Int], _ x: Int, _ dtype: DType) throws -> Int? {
    let shape = nodes[x].shape
    guard !shape.isEmpty, !axes.isEmpty, axes.allSatisfy({ shape[$0] > 0 }) else { return nil }
    let kept = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
    let m = reduction(.max, axes: axes, keepdims: true, x, kept, dtype, source: nil)
    let shifted = try pointwise(LK_OP_SUB, [x, expand(m, to: shape)], shape, dtype, source: nil)
    let exps = try pointwise(LK_OP_EXP, [shifted], shape, dtype, source: nil)
    guard let sum = shiftedExpSum(axes: axes, keepdims: true, exps, kept, dtype) else { return nil }
    let logSum = try pointwise(LK_OP_LOG, [sum], kept, dtype, source: nil)
    let value = try pointwise(LK_OP_ADD, [m, logSum], kept, dtype, source: nil)
    let size = try pointwise(LK_OP_ABS, [m], kept, dtype, source: nil)
    let infinite = try pointwise(
      LK_OP_EQUAL, [size, literal(Tensor(scalar: .infinity, dtype: dtype))], kept, dtype, source: nil)
    return try pointwise(LK_OP_SELECT, [infinite, m, value], kept, dtype, source: nil)
  }
}
