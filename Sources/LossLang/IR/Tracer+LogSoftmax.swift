/// `log_softmax` over axes as primitives, shared by the `log_softmax`/`softmax` builtins
/// and the stable rewrites, and recognized again by ``Node/logSoftmaxParts``.
extension Tracer {
  /// `(x - m) - log(sum(exp(x - m)))` over `axes` with `m = max(x)` held constant, as
  /// PyTorch's kernel computes it: the shifted values are exact, so logits of 1000 lose
  /// nothing. Over an empty axis (or a 0-d `x`) the result is empty (or 0): there is no
  /// maximum to shift by. Over several axes the maximum is taken one axis at a time: one
  /// maximum over all elements of a value the planner computes row by row (a row chain)
  /// fails there ("the kernel rejected its arguments").
  func logSoftmax(_ x: Node, axes: [Int]) throws -> Node {
    guard let (shifted, logSum) = try logSoftmaxParts(x, axes: axes) else { return try sub(x, x) }
    return try sub(shifted, logSum)
  }

  /// `log_softmax`'s two parts, `x - m` and `log(sum(exp(x - m)))` (kept over `axes`), as
  /// ``logSoftmax(_:axes:)`` subtracts them; nil over an empty axis or for a 0-d `x`. A loss
  /// that reads the log-sum itself (cross_entropy's prelude) gets a gradient without a sum of
  /// its seed over the axes.
  func logSoftmaxParts(_ x: Node, axes: [Int]) throws -> (shifted: Node, logSum: Node)? {
    if x.shape.isEmpty || axes.contains(where: { x.shape[$0] == 0 }) { return nil }
    let m = stopGradient(axes.reversed().reduce(x) { reduce(.max, $0, axes: [$1], keepdims: true) })
    let shifted = try sub(x, m)
    return (shifted, unary(.log, reduce(.sum, unary(.exp, shifted), axes: axes, keepdims: true)))
  }
}

extension Node {
  /// `x` and the axes when this node is ``Tracer/logSoftmax(_:axes:)``'s result.
  var logSoftmaxParts: (x: Node, axes: [Int])? {
    guard let (shifted, logSum) = operands(ifBinary: .sub), let (x, m) = shifted.operands(ifBinary: .sub),
      let maximum = m.operand(ifStopGradient: ()), maximum.isMaximum(of: x), let sum = logSum.operand(ifUnary: .log),
      case .reduce(.sum, let axes, true) = sum.op, sum.inputs.first?.operand(ifUnary: .exp) === shifted
    else { return nil }
    return (x, axes)
  }

  /// Whether this node is a maximum of `x` over some axes, kept, one axis at a time.
  private func isMaximum(of x: Node) -> Bool {
    var m = self
    while case .reduce(.max, let axes, true) = m.op, axes.count == 1, let input = m.inputs.first {
      if input === x { return true }
      m = input
    }
    return false
  }
}
