/// Prints a derivative's terms as LossLang source with the parentheses LossLang's grammar
/// needs, naming each compound term used more than once: `u = sigmoid(z); u * (1 - u)`.
///
/// The bindings come first, separated by `;`, each after the ones it uses; the value is the
/// last statement, so running the text (as a script or REPL line) gives the derivative.
struct ExpressionPrinter {
  /// The terms.
  let expression: DerivativeExpression
  /// Whether a name is taken in the caller's scope (binding names avoid those).
  let isTaken: (String) -> Bool

  /// Precedence of an atom (name, number, call, index).
  private static let atom = 8
  /// Precedence of unary minus.
  private static let unary = 6

  /// The text of `root`, with its repeated subexpressions bound first.
  func text(_ root: Int) -> String {
    let shared = sharedTerms(root)
    var bound: [Int: String] = [:]
    var statements: [String] = []
    var next = 0
    for id in shared.sorted() {
      var name = Self.bindingName(next)
      while isTaken(name) {
        next += 1
        name = Self.bindingName(next)
      }
      next += 1
      statements.append("\(name) = " + render(id, bound).text)
      bound[id] = name
    }
    statements.append(render(root, bound).text)
    return statements.joined(separator: "; ")
  }

  /// The `k`th binding name: `u v w`, then `u1 u2 …`.
  private static func bindingName(_ k: Int) -> String {
    k < 3 ? ["u", "v", "w"][k] : "u\(k - 2)"
  }

  /// The compound terms reachable from `root` that more than one term (or the root) uses.
  private func sharedTerms(_ root: Int) -> Set<Int> {
    var uses: [Int: Int] = [:]
    var seen: Set<Int> = [root]
    var stack = [root]
    while let id = stack.popLast() {
      for child in children(id) {
        uses[child, default: 0] += 1
        if seen.insert(child).inserted { stack.append(child) }
      }
    }
    return Set(uses.filter { $0.value > 1 && isCompound($0.key) }.keys)
  }

  /// Whether a term is worth a name: not a name, a number or a minus sign before a name.
  private func isCompound(_ id: Int) -> Bool {
    switch expression[id].kind {
    case .number, .name: false
    case .negate(let x): isCompound(x)
    default: true
    }
  }

  /// The terms a term uses.
  private func children(_ id: Int) -> [Int] {
    switch expression[id].kind {
    case .number, .name: []
    case .negate(let x), .index(let x, _): [x]
    case .binary(_, let a, let b): [a, b]
    case .call(_, let arguments, _): arguments
    case .list(let items): items
    }
  }

  /// A term's text and precedence; a bound term is its name.
  private func render(_ id: Int, _ bound: [Int: String]) -> (text: String, precedence: Int) {
    if let name = bound[id] { return (name, Self.atom) }
    switch expression[id].kind {
    case .number(let v):
      let text = TensorFormatter.number(v)
      // 0.16666666666666666 reads as 1 / 6 (0.25 stays as it is).
      if text.count > 6, let k = Self.reciprocalInteger(v) {
        return ((k < 0 ? "-1 / " : "1 / ") + TensorFormatter.number(abs(k)), DerivativeOperator.divide.precedence)
      }
      return (text, v < 0 ? Self.unary : Self.atom)
    case .name(let text): return (text, Self.atom)
    case .negate(let x):
      return ("-" + operand(x, bound, above: Self.unary), Self.unary)
    case .binary(let op, let a, let b):
      if op == .multiply, let c = expression.number(a), let k = Self.reciprocalInteger(c) {
        // 0.25 * e reads as e / 4.
        let text = operand(b, bound, above: op.precedence - 1) + " / " + TensorFormatter.number(abs(k))
        return k < 0 ? ("-" + "(" + text + ")", Self.unary) : (text, op.precedence)
      }
      let right = op == .power ? op.precedence - 1 : op.precedence
      let left = op == .power || op.isComparison ? op.precedence : op.precedence - 1
      return (operand(a, bound, above: left) + " \(op.rawValue) " + operand(b, bound, above: right), op.precedence)
    case .call(let name, let arguments, let extras):
      let items = arguments.map { render($0, bound).text } + extras
      return (name + "(" + items.joined(separator: ", ") + ")", Self.atom)
    case .list(let items):
      return ("[" + items.map { render($0, bound).text }.joined(separator: ", ") + "]", Self.atom)
    case .index(let x, let index):
      return (operand(x, bound, above: Self.atom - 1) + "[" + index + "]", Self.atom)
    }
  }

  /// A term's text, parenthesized unless it binds tighter than `above`.
  private func operand(_ id: Int, _ bound: [Int: String], above: Int) -> String {
    let (text, precedence) = render(id, bound)
    return precedence > above ? text : "(" + text + ")"
  }

  /// `k` when `c` is `1 / k` for a whole `k` of magnitude at least 2.
  private static func reciprocalInteger(_ c: Double) -> Double? {
    let k = 1 / c
    guard k.isFinite, k.rounded() == k, abs(k) >= 2, abs(k) < 1e15 else { return nil }
    return k
  }
}
