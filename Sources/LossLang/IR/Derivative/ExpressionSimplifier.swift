import Foundation

/// Builds the terms of a derivative with the simplifications a reader expects: numbers
/// folded, `x * 1`, `x + 0`, `x ^ 1` and zero terms removed, signs and constant factors
/// collected in front (`0.5 * (p - t)`), `x + x` as `2 * x` and `x * x` as `x ^ 2`.
///
/// A simplified term may have a smaller shape than the one it replaces (`0 * x` is `0`),
/// which is sound because every consumer that is not elementwise asks for the exact shape
/// (``DerivativeTranslator``). Dropping `0 * x` assumes `x` is finite, as a reader does.
struct ExpressionSimplifier {
  /// The terms built so far.
  private(set) var expression = DerivativeExpression()

  /// A number literal (NaN is the name `nan`: a term must equal itself).
  mutating func number(_ value: Double) -> Int {
    if value.isNaN { return name("nan", shape: []) }
    return expression.add(DerivativeTerm(kind: .number(value), shape: []))
  }

  /// A name (or verbatim source) of the given shape.
  mutating func name(_ text: String, shape: [Int]) -> Int {
    expression.add(DerivativeTerm(kind: .name(text), shape: shape))
  }

  /// `function(arguments…, extras…)` with the shape it evaluates to.
  mutating func call(_ function: String, _ arguments: [Int], extras: [String] = [], shape: [Int]) -> Int {
    expression.add(DerivativeTerm(kind: .call(function, arguments, extras: extras), shape: shape))
  }

  /// `[a, b, …]`, a list (the argument of `concat`).
  mutating func list(_ items: [Int]) -> Int {
    expression.add(DerivativeTerm(kind: .list(items), shape: []))
  }

  /// `x[index]` with the shape it evaluates to.
  mutating func index(_ x: Int, _ index: String, shape: [Int]) -> Int {
    expression.add(DerivativeTerm(kind: .index(x, index), shape: shape))
  }

  /// `-x`, folded into numbers, double negations, differences and constant factors.
  mutating func negate(_ x: Int) -> Int {
    let term = expression[x]
    if let v = term.number { return number(v == 0 ? 0 : -v) }
    switch term.kind {
    case .negate(let y): return y
    case .binary(.subtract, let a, let b): return raw(.subtract, b, a)
    case .binary(.multiply, let c, let e) where expression.number(c) != nil:
      return multiply(number(-(expression.number(c) ?? 0)), e)
    default: return expression.add(DerivativeTerm(kind: .negate(x), shape: term.shape))
    }
  }

  /// `where(cond, a, b)`, choosing a branch when the condition is a number or both agree.
  mutating func select(_ cond: Int, _ a: Int, _ b: Int) -> Int {
    let cond = condition(cond)
    if let c = expression.number(cond) { return c != 0 ? a : b }
    if let x = reluArgument(cond, a, b) { return call("relu", [x], shape: expression.shape(x)) }
    let a = unnested(cond, a, taken: true), b = unnested(cond, b, taken: false)
    if a == b || (expression.isNumber(b, 0) && isGuardedRelu(cond, a)) { return a }
    let shape = broadcast(broadcast(expression.shape(cond), expression.shape(a)), expression.shape(b))
    return call("where", [cond, a, b], shape: shape)
  }

  /// A comparison converted to a float (`float64(a < b)`) used as a condition: the bool itself.
  func condition(_ id: Int) -> Int {
    guard case .call(let f, let arguments, _) = expression[id].kind, f == "float64" || f == "float32",
      case .binary(let op, _, _) = expression[arguments[0]].kind, op.isComparison
    else { return id }
    return arguments[0]
  }

  /// `a op b`, simplified.
  mutating func binary(_ op: DerivativeOperator, _ a: Int, _ b: Int) -> Int {
    switch op {
    case .add: return add(a, b)
    case .subtract: return subtract(a, b)
    case .multiply: return multiply(a, b)
    case .divide: return divide(a, b)
    case .power: return power(a, b)
    case .matmul: return raw(op, a, b)
    default:
      if let x = expression.number(a), let y = expression.number(b), let v = op.compare(x, y) { return number(v) }
      // A comparison is already a bool: `(a < b) != 0` is `a < b`.
      if op == .notEqual, expression.isNumber(b, 0), case .binary(let inner, _, _) = expression[condition(a)].kind,
        inner.isComparison
      {
        return condition(a)
      }
      return raw(op, a, b)
    }
  }

  private mutating func add(_ a: Int, _ b: Int) -> Int {
    if let x = expression.number(a), let y = expression.number(b) { return number(x + y) }
    if expression.isNumber(a, 0) { return b }
    if expression.isNumber(b, 0) { return a }
    if let collected = collected(a, b, sign: 1) { return collected }
    let (ca, ea) = coefficient(a), (cb, eb) = coefficient(b)
    if cb < 0 { return subtract(a, multiply(number(-cb), eb)) }
    if ca < 0 { return subtract(b, multiply(number(-ca), ea)) }
    return raw(.add, a, b)
  }

  private mutating func subtract(_ a: Int, _ b: Int) -> Int {
    if let x = expression.number(a), let y = expression.number(b) { return number(x - y) }
    if expression.isNumber(b, 0) { return a }
    if expression.isNumber(a, 0) { return negate(b) }
    if a == b { return number(0) }
    if let collected = collected(a, b, sign: -1) { return collected }
    if case .negate(let c) = expression[b].kind { return add(a, c) }
    if let y = expression.number(b), y < 0 { return add(a, number(-y)) }
    if let positive = complementedSigmoid(a, b) { return positive }
    return raw(.subtract, a, b)
  }

  private mutating func multiply(_ a: Int, _ b: Int) -> Int {
    let x = expression.number(a), y = expression.number(b)
    if let x, let y { return number(x * y) }
    if x == 0 || y == 0 { return number(0) }
    if x == 1 { return b }
    if y == 1 { return a }
    if x == -1 { return negate(b) }
    if y == -1 { return negate(a) }
    if y != nil { return multiply(b, a) }
    if case .negate(let e) = expression[a].kind { return negate(multiply(e, b)) }
    if case .negate(let e) = expression[b].kind { return negate(multiply(a, e)) }
    if case .binary(.multiply, let c, let e) = expression[b].kind, let d = expression.number(c) {
      return x.map { multiply(number($0 * d), e) } ?? multiply(c, multiply(a, e))
    }
    if x == nil, case .binary(.multiply, let c, let e) = expression[a].kind, expression.number(c) != nil {
      return multiply(c, multiply(e, b))
    }
    if a == b { return power(a, number(2)) }
    if let softmax = scaledSoftmax(a, b) { return softmax }
    if x == nil, case .binary(.divide, let one, let d) = expression[b].kind, expression.isNumber(one, 1) { return divide(a, d) }
    if case .binary(.divide, let one, let d) = expression[a].kind, expression.isNumber(one, 1) { return divide(b, d) }
    if let spread = spreadSelect(a, b) ?? spreadSelect(b, a) { return spread }
    if case .binary(.power, let base, let k) = expression[a].kind, base == b, let n = expression.number(k) {
      return power(base, number(n + 1))
    }
    return raw(.multiply, a, b)
  }

  private mutating func divide(_ a: Int, _ b: Int) -> Int {
    let x = expression.number(a), y = expression.number(b)
    if let x, let y, y != 0 { return number(x / y) }
    if x == 0 { return number(0) }
    if y == 1 { return a }
    if y == -1 { return negate(a) }
    if let y, y != 0 { return multiply(number(1 / y), a) }
    if case .negate(let e) = expression[a].kind { return negate(divide(e, b)) }
    if case .binary(.multiply, let c, let e) = expression[a].kind, expression.number(c) != nil {
      return multiply(c, divide(e, b))
    }
    if let softmax = softmax(a, over: b) { return softmax }
    if case .binary(.multiply, let c, let e) = expression[b].kind, let k = expression.number(c), k != 0 {
      return multiply(number(1 / k), divide(a, e))
    }
    return raw(.divide, a, b)
  }

  private mutating func power(_ a: Int, _ b: Int) -> Int {
    let x = expression.number(a), y = expression.number(b)
    if let x, let y { return number(Foundation.pow(x, y)) }
    if y == 1 { return a }
    if y == 0 { return number(1) }
    return raw(.power, a, b)
  }

  /// `a op b` as written (or branch by branch, for two `where`s on one condition), with the broadcast shape (matmul: the batched product's shape).
  private mutating func raw(_ op: DerivativeOperator, _ a: Int, _ b: Int) -> Int {
    if op != .matmul, let merged = mergedSelects(op, a, b) { return merged }
    let sa = expression.shape(a), sb = expression.shape(b)
    let shape: [Int]
    if op == .matmul, sa.count >= 2, sb.count >= 2 {
      shape = broadcast(Array(sa.dropLast(2)), Array(sb.dropLast(2))) + [sa[sa.count - 2], sb[sb.count - 1]]
    } else {
      shape = broadcast(sa, sb)
    }
    return expression.add(DerivativeTerm(kind: .binary(op, a, b), shape: shape))
  }

  /// The broadcast of two shapes (which always agree here: both broadcast to one node's).
  private func broadcast(_ a: [Int], _ b: [Int]) -> [Int] {
    (try? Broadcast.shape(a, b)) ?? (a.count >= b.count ? a : b)
  }
}
