/// The rewrites of ``ExpressionSimplifier`` that make a derivative read like the textbook:
/// like terms collected (`2 * u + u` is `3 * u`), common constant factors taken out
/// (`a / 4 - b / 4` is `(a - b) / 4`), branches of one `where` merged, `1 - sigmoid(-z)` read
/// as `sigmoid(z)`, and `log_softmax`'s shifted exponentials read as `softmax`.
extension ExpressionSimplifier {
  /// A term as `coefficient * rest` (`-x` is `-1 * x`, anything else `1 * itself`).
  func coefficient(_ id: Int) -> (Double, Int) {
    switch expression[id].kind {
    case .binary(.multiply, let c, let e) where expression.number(c) != nil: (expression.number(c) ?? 1, e)
    case .negate(let e): (-1, e)
    default: (1, id)
    }
  }

  /// `a + b` or `a - b` (`sign` 1 or -1) with like terms collected or a common factor taken
  /// out, or nil when neither applies.
  mutating func collected(_ a: Int, _ b: Int, sign: Double) -> Int? {
    guard expression.number(a) == nil, expression.number(b) == nil else { return nil }
    let (c1, e1) = coefficient(a)
    var (c2, e2) = coefficient(b)
    c2 *= sign
    if e1 == e2 { return binary(.multiply, number(c1 + c2), e1) }
    guard abs(c1) == abs(c2), abs(c1) != 1 else { return nil }
    // c·e1 + c·e2 = c·(e1 + e2); c·e1 - c·e2 = c·(e1 - e2), with the positive factor outside.
    if c1 == c2 { return binary(.multiply, number(c1), binary(.add, e1, e2)) }
    return c1 > 0 ? binary(.multiply, number(c1), binary(.subtract, e1, e2)) : binary(.multiply, number(c2), binary(.subtract, e2, e1))
  }

  /// `op` applied branch by branch to two `where`s on the same condition.
  mutating func mergedSelects(_ op: DerivativeOperator, _ a: Int, _ b: Int) -> Int? {
    guard case .call("where", let x, _) = expression[a].kind, case .call("where", let y, _) = expression[b].kind,
      x[0] == y[0]
    else { return nil }
    return select(x[0], binary(op, x[1], y[1]), binary(op, x[2], y[2]))
  }

  /// `where(c, m * e, n * e)` for `where(c, m, n) * e` with numbers `m`, `n` (`e` not itself
  /// a `where`, which merges branch by branch instead).
  mutating func spreadSelect(_ s: Int, _ e: Int) -> Int? {
    guard case .call("where", let x, _) = expression[s].kind, expression.number(x[1]) != nil, expression.number(x[2]) != nil,
      expression.number(e) == nil
    else { return nil }
    if case .call("where", _, _) = expression[e].kind { return nil }
    return select(x[0], binary(.multiply, x[1], e), binary(.multiply, x[2], e))
  }

  /// `where(c, a, b)` with a branch that is itself a `where` on `c` (or on its complement,
  /// `x > 0` for `x <= 0`: finite values assumed) replaced by its own branch.
  func unnested(_ cond: Int, _ branch: Int, taken: Bool) -> Int {
    guard case .call("where", let x, _) = expression[branch].kind else { return branch }
    if x[0] == cond { return taken ? x[1] : x[2] }
    if isComplement(x[0], of: cond) { return taken ? x[2] : x[1] }
    return branch
  }

  /// Whether two comparisons of the same operands are each other's negation.
  func isComplement(_ a: Int, of b: Int) -> Bool {
    guard case .binary(let p, let x1, let y1) = expression[a].kind, case .binary(let q, let x2, let y2) = expression[b].kind,
      x1 == x2, y1 == y2
    else { return false }
    let pairs: Set<[DerivativeOperator]> = [[.less, .greaterEqual], [.lessEqual, .greater], [.equal, .notEqual]]
    return pairs.contains([p, q]) || pairs.contains([q, p])
  }

  /// Whether `where(cond, a, 0)` is `a`: `cond` is `x > 0` and `a` has the factor `relu(x)`,
  /// which is 0 where `cond` is false.
  func isGuardedRelu(_ cond: Int, _ a: Int) -> Bool {
    guard case .binary(.greater, let x, let zero) = expression[cond].kind, expression.isNumber(zero, 0) else { return false }
    func hasFactor(_ id: Int) -> Bool {
      switch expression[id].kind {
      case .call("relu", let arguments, _): arguments == [x]
      case .binary(.multiply, let p, let q): hasFactor(p) || hasFactor(q)
      case .binary(.divide, let p, _), .negate(let p): hasFactor(p)
      default: false
      }
    }
    return hasFactor(a)
  }

  /// `x` when `where(cond, a, b)` is `where(x <= 0, 0, where(x > 0, x, nan))`, the way
  /// `relu(x)` traces.
  func reluArgument(_ cond: Int, _ a: Int, _ b: Int) -> Int? {
    guard expression.isNumber(a, 0), case .binary(.lessEqual, let x, let zero) = expression[cond].kind,
      expression.isNumber(zero, 0), case .call("where", let inner, _) = expression[b].kind, inner[1] == x,
      isComplement(inner[0], of: cond), expression[inner[2]].kind == .name("nan")
    else { return nil }
    return x
  }

  /// `sigmoid(x)` for `1 - sigmoid(-x)`, `sigmoid(x) - b` for `(1 - b) - sigmoid(-x)`.
  mutating func complementedSigmoid(_ a: Int, _ b: Int) -> Int? {
    guard case .call("sigmoid", let arguments, _) = expression[b].kind, case .negate(let x) = expression[arguments[0]].kind
    else { return nil }
    let positive = call("sigmoid", [x], shape: expression.shape(b))
    if expression.isNumber(a, 1) { return positive }
    if case .binary(.subtract, let one, let rest) = expression[a].kind, expression.isNumber(one, 1) {
      return binary(.subtract, positive, rest)
    }
    return nil
  }

  /// `softmax(x, axis=k)` for `e / s` where `e = exp(x - max(x, axis=k, keepdims=true))`
  /// and `s = sum(e, axis=k, keepdims=true)`, as `log_softmax` and `softmax` trace.
  mutating func softmax(_ e: Int, over s: Int) -> Int? {
    guard case .call("sum", let summed, let extras) = expression[s].kind, summed == [e],
      case .call("exp", let shifted, _) = expression[e].kind,
      case .binary(.subtract, let x, let m) = expression[shifted[0]].kind,
      case .call("max", let maxed, let maxExtras) = expression[m].kind, maxed == [x], maxExtras == extras
    else { return nil }
    let shape = expression.shape(x)
    if extras.count == 2, extras[1] == "keepdims=true", extras[0].hasPrefix("axis=") {
      return call("softmax", [x], extras: [extras[0]], shape: shape)
    }
    return extras == ["keepdims=true"] && shape.count == 1 ? call("softmax", [x], shape: shape) : nil
  }

  /// `a * softmax(x)` for `(a / s) * e` or `e * (a / s)` (see ``softmax(_:over:)``).
  mutating func scaledSoftmax(_ a: Int, _ b: Int) -> Int? {
    for (quotient, e) in [(a, b), (b, a)] {
      if case .binary(.divide, let numerator, let s) = expression[quotient].kind, let p = softmax(e, over: s) {
        return binary(.multiply, numerator, p)
      }
    }
    return nil
  }
}
