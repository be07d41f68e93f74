import Foundation

@testable import LossLang

/// Random, well-typed LossLang tensor expressions over inputs of broadcast-compatible shapes.
///
/// Every expression is valid by construction: shapes are tracked through each operation
/// (broadcasting, reductions, matmul, indexing), so evaluation never fails on a shape.
/// Each term also carries a bound on its magnitude and on its float32 rounding error,
/// propagated with each operation's Lipschitz constant, which gives the float32-vs-float64
/// comparison a tolerance that is justified rather than tuned.
///
/// ```swift
/// let e = ExpressionGenerator.make(seed: 7, smoothOnly: true)
/// // e.text: "sum(tanh((x0 * x1)), axis=1)", e.inputs: [("x0", [2, 3]), ("x1", [3])]
/// ```
struct ExpressionGenerator {
  /// A generated expression with the inputs it reads.
  struct Result {
    /// LossLang source of the expression.
    let text: String
    /// The result's shape.
    let shape: [Int]
    /// Input names and shapes, in order of first use (`x0`, `x1`, …).
    let inputs: [(name: String, shape: [Int])]
    /// A bound on the absolute difference between float32 and exact evaluation, per element.
    let errorBound: Double
  }

  /// A subexpression: its source (parenthesized when compound), shape, and bounds.
  private struct Term {
    var text: String
    var shape: [Int]
    /// A bound on |value| for every element.
    var magnitude: Double
    /// A bound on |float32 value - exact value| for every element.
    var error: Double
  }

  /// Relative rounding error charged per float32 operation (4 ulp, covering libm's error).
  private static let unitError = 4.0 / Double(1 << 24)

  /// Whether only everywhere-differentiable operations are used (for gradcheck).
  private let smoothOnly: Bool
  private var random: SeededGenerator
  /// The shape every input is a broadcast-compatible variant of.
  private let baseShape: [Int]
  private var inputs: [(name: String, shape: [Int])] = []

  /// A random expression of nesting `depth` at most, fixed by `seed`.
  static func make(seed: UInt64, smoothOnly: Bool, depth: Int = 4) -> Result {
    var generator = ExpressionGenerator(seed: seed, smoothOnly: smoothOnly)
    var term = generator.term(depth: depth)
    if generator.inputs.isEmpty {
      let input = generator.newInput(shape: generator.baseShape)
      term = generator.combine("+", term, input, magnitude: term.magnitude + input.magnitude)
    }
    return Result(text: term.text, shape: term.shape, inputs: generator.inputs, errorBound: term.error)
  }

  private init(seed: UInt64, smoothOnly: Bool) {
    self.smoothOnly = smoothOnly
    var random = SeededGenerator(seed: seed)
    let rank = Int.random(in: 0...3, using: &random)
    baseShape = (0..<rank).map { _ in Int.random(in: 1...4, using: &random) }
    self.random = random
  }

  // MARK: - Terms

  /// A random term with at most `depth` levels of operations.
  private mutating func term(depth: Int) -> Term {
    guard depth > 0, random.chance(0.8) else { return leaf() }
    switch Int.random(in: 0..<10, using: &random) {
    case 0, 1, 2: return unary(term(depth: depth - 1))
    case 3, 4, 5: return binary(term(depth: depth - 1), term(depth: depth - 1))
    case 6: return reduction(term(depth: depth - 1))
    case 7: return softmax(term(depth: depth - 1))
    case 8: return matmul(term(depth: depth - 1))
    default: return reshaping(term(depth: depth - 1))
    }
  }

  /// An input (new or reused) or an exactly representable constant.
  private mutating func leaf() -> Term {
    if random.chance(0.15) {
      let value = random.pick([0.25, 0.5, 0.75, 1, 1.5, 2, 3])
      return Term(text: value == value.rounded() ? String(Int(value)) : "\(value)", shape: [], magnitude: value, error: 0)
    }
    if !inputs.isEmpty, random.chance(0.4) {
      let (name, shape) = random.pick(inputs)
      return Term(text: name, shape: shape, magnitude: 2, error: 0)
    }
    let dropped = Int.random(in: 0...baseShape.count, using: &random)
    return newInput(shape: baseShape.dropFirst(dropped).map { random.chance(0.3) ? 1 : $0 })
  }

  /// A fresh input of `shape`, with values in [-2, 2].
  private mutating func newInput(shape: [Int]) -> Term {
    let name = "x\(inputs.count)"
    inputs.append((name, shape))
    return Term(text: name, shape: shape, magnitude: 2, error: 0)
  }

  /// An elementwise function of `x`: (template with `%`, Lipschitz constant, output magnitude).
  private mutating func unary(_ x: Term) -> Term {
    let m = x.magnitude
    var choices: [(String, Double, Double)] = [
      ("tanh(%)", 1, 1), ("sigmoid(%)", 0.25, 1), ("sin(%)", 1, 1), ("cos(%)", 1, 1),
      ("softplus(%)", 1, m + 1), ("logsigmoid(%)", 1, m + 1), ("exp(tanh(%))", 2.72, 2.72),
      ("log1p(% ^ 2)", 1, 2 * m), ("sqrt(square(%) + 1)", 1, m + 1), ("rsqrt(1 + % ^ 2)", 1, 1),
      ("(-%)", 1, m), ("(% * 0.5)", 0.5, m / 2),
    ]
    if !smoothOnly {
      choices += [("abs(%)", 1, m), ("relu(%)", 1, m), ("clamp(%, min=-1, max=1)", 1, 1)]
    }
    let (template, lipschitz, magnitude) = random.pick(choices)
    let text = template.replacingOccurrences(of: "%", with: x.text)
    return Term(text: text, shape: x.shape, magnitude: magnitude,
                error: lipschitz * x.error + 3 * Self.unitError * magnitude)
  }

  /// An elementwise binary operation; an operand whose shape does not broadcast is averaged first.
  private mutating func binary(_ a: Term, _ b: Term) -> Term {
    let b = (try? Broadcast.shape(a.shape, b.shape)) == nil ? fullReduction("mean", b) : b
    var choices = ["+", "-", "*", "/"]
    if !smoothOnly { choices += ["maximum", "minimum"] }
    switch random.pick(choices) {
    case "+": return combine("+", a, b, magnitude: a.magnitude + b.magnitude)
    case "-": return combine("-", a, b, magnitude: a.magnitude + b.magnitude)
    case "*":
      var t = combine("*", a, b, magnitude: a.magnitude * b.magnitude)
      t.error = a.magnitude * b.error + b.magnitude * a.error + a.error * b.error + Self.unitError * t.magnitude
      return t
    case "/":
      let denominator = Term(text: "(1 + \(b.text) ^ 2)", shape: b.shape, magnitude: 1 + b.magnitude * b.magnitude,
                             error: 2 * b.magnitude * b.error + 2 * Self.unitError * (1 + b.magnitude * b.magnitude))
      var t = combine("/", a, denominator, magnitude: a.magnitude)
      t.error = a.error + a.magnitude * 0.65 * b.error + 4 * Self.unitError * a.magnitude
      return t
    default:
      let name = random.chance(0.5) ? "maximum" : "minimum"
      let shape = (try? Broadcast.shape(a.shape, b.shape)) ?? a.shape
      return Term(text: "\(name)(\(a.text), \(b.text))", shape: shape, magnitude: max(a.magnitude, b.magnitude),
                  error: max(a.error, b.error))
    }
  }

  /// `(a op b)` with the broadcast shape, summed error plus one rounding.
  private func combine(_ op: String, _ a: Term, _ b: Term, magnitude: Double) -> Term {
    Term(text: "(\(a.text) \(op) \(b.text))", shape: (try? Broadcast.shape(a.shape, b.shape)) ?? a.shape,
         magnitude: magnitude, error: a.error + b.error + Self.unitError * magnitude)
  }

  /// A reduction over one axis (maybe keeping it) or over all elements.
  private mutating func reduction(_ x: Term) -> Term {
    var names = ["sum", "mean", "logsumexp"]
    if !smoothOnly { names += ["max", "min"] }
    let name = random.pick(names)
    guard !x.shape.isEmpty, random.chance(0.75) else { return fullReduction(name, x) }
    let axis = Int.random(in: 0..<x.shape.count, using: &random)
    let n = Double(x.shape[axis])
    let keepdims = random.chance(0.3)
    var shape = x.shape
    if keepdims { shape[axis] = 1 } else { shape.remove(at: axis) }
    let spelledAxis = random.chance(0.5) ? axis : axis - x.shape.count
    let (magnitude, error) = reductionBounds(name, x, count: n)
    return Term(text: "\(name)(\(x.text), axis=\(spelledAxis)\(keepdims ? ", keepdims=true" : ""))",
                shape: shape, magnitude: magnitude, error: error)
  }

  /// `name(x)` over every element.
  private func fullReduction(_ name: String, _ x: Term) -> Term {
    let (magnitude, error) = reductionBounds(name, x, count: Double(x.shape.reduce(1, *)))
    return Term(text: "\(name)(\(x.text))", shape: [], magnitude: magnitude, error: error)
  }

  /// Magnitude and error bounds of a reduction over `count` elements.
  private func reductionBounds(_ name: String, _ x: Term, count n: Double) -> (Double, Double) {
    switch name {
    case "sum": return (n * x.magnitude, n * x.error + n * Self.unitError * n * x.magnitude)
    case "logsumexp": return (x.magnitude + log(n), x.error + 4 * Self.unitError * (x.magnitude + log(n) + 1))
    default: return (x.magnitude, x.error + 2 * n * Self.unitError * x.magnitude)
    }
  }

  /// `softmax` or `log_softmax` along an axis.
  private mutating func softmax(_ x: Term) -> Term {
    guard !x.shape.isEmpty else { return unary(x) }
    let axis = Int.random(in: 0..<x.shape.count, using: &random)
    let n = Double(x.shape[axis])
    if random.chance(0.5) {
      return Term(text: "softmax(\(x.text), axis=\(axis))", shape: x.shape, magnitude: 1,
                  error: 2 * x.error + 4 * n * Self.unitError)
    }
    let magnitude = 2 * x.magnitude + log(n)
    return Term(text: "log_softmax(\(x.text), axis=\(axis))", shape: x.shape, magnitude: magnitude,
                error: 2 * x.error + 4 * Self.unitError * (magnitude + 1))
  }

  /// `x @ w` with a new input `w` of shape [last axis of x, n].
  private mutating func matmul(_ x: Term) -> Term {
    guard let k = x.shape.last else { return unary(x) }
    let n = Int.random(in: 1...4, using: &random)
    let w = newInput(shape: [k, n])
    let magnitude = Double(k) * x.magnitude * 2
    let error = Double(k) * 2 * x.error + Double(k) * Self.unitError * magnitude
    return Term(text: "(\(x.text) @ \(w.text))", shape: x.shape.dropLast() + [n], magnitude: magnitude, error: error)
  }

  /// A transpose, an index, a slice or a flattening reshape of `x` (values unchanged).
  private mutating func reshaping(_ x: Term) -> Term {
    var t = x
    switch (Int.random(in: 0..<4, using: &random), x.shape.count) {
    case (_, 0):
      return unary(x)
    case (0, 2...):
      t.text = "\(x.text).T"
      t.shape = x.shape.reversed()
    case (1, _):
      let i = Int.random(in: 0..<x.shape[0], using: &random)
      t.text = "\(x.text)[\(i)]"
      t.shape = Array(x.shape.dropFirst())
    case (2, _) where x.shape[0] >= 2:
      t.text = "\(x.text)[1:]"
      t.shape[0] -= 1
    case (2, _):
      let j = Int.random(in: 0..<x.shape[x.shape.count - 1], using: &random)
      t.text = "\(x.text)[..., \(j)]"
      t.shape = x.shape.dropLast()
    default:
      t.text = "reshape(\(x.text), [\(x.shape.reduce(1, *))])"
      t.shape = [x.shape.reduce(1, *)]
    }
    return t
  }
}
