import CLossKernel

/// The planner's one-pass log-sum-exp: `sum(exp(a - m))` with `m` the maximum of `a` over the
/// same axes (the stable sum of `log_softmax`, `softmax` and their gradients).
extension PlanBuilder {
  /// The node for `sum(exp(a - m))` over trailing `axes` when `e` is `exp(a - m)` (`m` kept
  /// and broadcast back): a `sumExpShifted` of the maximum's own input, which the kernel
  /// computing that maximum also computes (`LK_ROWSUMEXP`), so `a` is read once for both
  /// instead of once for the maximum and again for the sum. nil for any other sum.
  mutating func shiftedExpSum(axes: [Int], keepdims: Bool, _ e: Int, _ shape: [Int], _ dtype: DType) -> Int? {
    guard case .pointwise(let exp) = nodes[e].op, exp == LK_OP_EXP, let d = nodes[e].inputs.first,
      case .pointwise(let sub) = nodes[d].op, sub == LK_OP_SUB, nodes[d].inputs.count == 2
    else { return nil }
    let (a, b) = (nodes[d].inputs[0], nodes[d].inputs[1])
    let m: Int
    if case .expand = nodes[b].op, let input = nodes[b].inputs.first { m = input } else { m = b }
    guard case .primitive(.reduce(.max, let maxAxes, true)) = nodes[m].op, maxAxes == axes,
      let input = nodes[m].inputs.first, isIdentity(input, of: a), nodes[input].dtype == dtype
    else { return nil }
    let node = PlanNode(
      op: .primitive(.sumExpShifted(axes: axes, keepdims: keepdims)), inputs: [input], shape: shape, dtype: dtype,
      source: nil)
    guard node.reduction(of: nodes[input]) != nil else { return nil }
    return intern(node, [-7, keepdims ? 1 : 0, axes.count] + axes)
  }

  /// Whether node `x` is `a` or an identity cast of it (as `reduction` reads a leaf).
  private func isIdentity(_ x: Int, of a: Int) -> Bool {
    if x == a { return true }
    guard case .cast = nodes[x].op else { return false }
    return nodes[x].inputs == [a] && nodes[x].dtype == nodes[a].dtype && nodes[x].shape == nodes[a].shape
  }
}
