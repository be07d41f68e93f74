/// The stable rewrites (docs/numerics.md, "Stable rewrites"), applied as the graph is traced.
///
/// Every node a program's `log`, `+`, `-` or `/` records goes through
/// ``Tracer/rewritten(_:)``; when the formula ending there is a textbook trap, the node is
/// replaced by the stable form before anything reads it. So the value computed, the plan
/// built and the gradient graph `grad` derives all see the stable form, and compiled losses
/// trace it once. Builtins and gradient rules record through the tracer directly and are
/// never rewritten (their formulas are stable already).
extension Tracer {
  /// A stable form found for a node: the formula, its replacement and the values it reads.
  typealias RewriteMatch = (rewrite: StableRewrite, stable: Node, operands: [Node])

  /// `node`, or its stable form when rewrites are on and a textbook formula ends at it.
  func rewritten(_ node: Node) throws -> Node {
    guard let log = rewriteLog, let match = try stableForm(of: node) else { return node }
    var stable = match.stable
    if stable.shape != node.shape { stable = try expand(stable, to: node.shape) }
    guard stable.dtype == node.dtype else { return node }
    let origin = RewriteOrigin(match.rewrite, naive: node, operands: match.operands)
    stable.rewrite = origin
    log.record(origin, at: span)
    return stable
  }

  /// The stable form of the formula ending at `node`, if it is one the rewrites know.
  private func stableForm(of node: Node) throws -> RewriteMatch? {
    switch node.op {
    case .unary(.log): try stableLog(of: node.inputs[0])
    case .binary(.sub): try stableExpm1(node)
    case .binary(.add): try stableExpm1(node) ?? stableCrossEntropy(node)
    case .binary(.div): try stableSoftmax(node)
    default: nil
    }
  }

  /// `log(u)` for the `u` of `log(sigmoid(x))`, `log(1 - sigmoid(x))`, `log(softmax(x, a))`,
  /// `log(sum(exp(x), a))` and `log(1 + x)`.
  private func stableLog(of u: Node) throws -> RewriteMatch? {
    if let x = u.operand(ifUnary: .sigmoid) { return (.logSigmoid, unary(.logsigmoid, x), [x]) }
    if let x = u.oneMinus?.operand(ifUnary: .sigmoid) { return (.logOneMinusSigmoid, unary(.logsigmoid, neg(x)), [x]) }
    if let (x, axes) = u.operand(ifUnary: .exp)?.logSoftmaxParts {
      return (.logSoftmax, try logSoftmax(x, axes: axes), [x])
    }
    if case .reduce(.sum, let axes, let keepdims) = u.op, let x = u.inputs.first?.operand(ifUnary: .exp) {
      return (.logSumExp, logsumexp(x, axes: axes, keepdims: keepdims), [x])
    }
    if let x = u.addend(besides: 1) { return (.log1p, unary(.log1p, x), [x]) }
    return nil
  }

  /// `expm1(x)` for `exp(x) - 1`, `exp(x) + (-1)` or `-1 + exp(x)`.
  private func stableExpm1(_ node: Node) throws -> RewriteMatch? {
    let e: Node?
    if let (a, b) = node.operands(ifBinary: .sub) { e = b.isLiteral(1) ? a : nil } else { e = node.addend(besides: -1) }
    guard let x = e?.operand(ifUnary: .exp) else { return nil }
    return (.expm1, unary(.expm1, x), [x])
  }

  /// `softmax(x, a)` for `exp(x) / sum(exp(x), a, keepdims=true)`, or a denominator that
  /// broadcasts the same way (a leading-axes sum without `keepdims`, a reshape or expand
  /// of the kept shape); with no axis, over all elements.
  private func stableSoftmax(_ node: Node) throws -> RewriteMatch? {
    guard let (numerator, denominator) = node.operands(ifBinary: .div), let x = numerator.operand(ifUnary: .exp),
      x.count > 0, node.shape == x.shape, let axes = Self.expSumAxes(denominator, of: x)
    else { return nil }
    return (.softmax, unary(.exp, try logSoftmax(x, axes: axes)), [x])
  }

  /// The axes of `sum(exp(x), axes)` when `denominator` is that sum broadcast against `x`
  /// as `keepdims=true` would: reshaped any way that ends in the kept shape (with leading
  /// 1s dropped or not), then possibly expanded to `x`'s shape.
  private static func expSumAxes(_ denominator: Node, of x: Node) -> [Int]? {
    var d = denominator
    if case .expand = d.op, d.inputs.count == 1, d.shape == x.shape { d = d.inputs[0] }
    let top = d
    while case .reshape = d.op, d.inputs.count == 1 { d = d.inputs[0] }
    guard case .reduce(.sum, let axes, _) = d.op, let y = d.inputs.first?.operand(ifUnary: .exp), y.computesSame(as: x)
    else { return nil }
    let kept = reducedShape(x.shape, axes: axes, keepdims: true)
    let aligned = top.shape.count <= kept.count
      && Array(repeating: 1, count: kept.count - top.shape.count) + top.shape == kept
    return aligned ? axes : nil
  }

  /// `logsigmoid(z) - (1 - t)·z` for `t·log(p) + (1 - t)·log(1 - p)` with `p = sigmoid(z)`
  /// (terms and factors in either order), once both logs were rewritten.
  private func stableCrossEntropy(_ node: Node) throws -> RewriteMatch? {
    guard let (a, b) = node.operands(ifBinary: .add) else { return nil }
    return try crossEntropy(positive: a, negative: b) ?? crossEntropy(positive: b, negative: a)
  }

  /// The with-logits form when `positive` is `t·log(p)` and `negative` is `(1-t)·log(1-p)`.
  private func crossEntropy(positive: Node, negative: Node) throws -> RewriteMatch? {
    guard let (t, logP) = positive.factors(where: { $0.rewrite?.rewrite == .logSigmoid }),
      let (s, logQ) = negative.factors(where: { $0.rewrite?.rewrite == .logOneMinusSigmoid }),
      s.oneMinus?.computesSame(as: t) == true, let z = logP.operand(ifUnary: .logsigmoid),
      logQ.operand(ifUnary: .logsigmoid)?.operand(ifUnary: .neg)?.computesSame(as: z) == true
    else { return nil }
    return (.binaryCrossEntropy, try sub(logP, mul(s, z)), [logP, s, z, t])
  }
}
