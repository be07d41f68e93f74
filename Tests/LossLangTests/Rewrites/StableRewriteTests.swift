import Testing

@testable import LossLang

/// Each stable rewrite fires on its formula and its variants (operands commuted, broadcast,
/// `keepdims`, axis arguments, a subexpression written twice, `p` bound to a name), and
/// gives the written formula's values and gradients on ordinary float64 inputs (1e-12
/// relative); a formula that is only similar is left alone.
@Suite struct StableRewriteTests {
  /// float64 inputs: `x` (2×3), `q` (3×3), `u` (> 0), `z` logits, `t` targets, `s` a 0-d
  /// target, `p = sigmoid(z)`, and a bound `one`.
  static let setup = """
    x = float64([[0.3, -1.2, 0.7], [1.5, -0.4, 0.2]])
    q = float64([[0.1, 0.9, -0.5], [1.3, -0.7, 0.4], [-1.1, 0.6, 0.8]])
    u = float64([0.3, 0.8, 1.1, 2.5])
    z = float64([-1.5, 0.4, 2.0, -0.3])
    t = float64([1.0, 0.0, 0.3, 0.8])
    s = float64(0.6)
    p = sigmoid(z)
    one = float64(1.0)
    """

  /// A formula, the inputs its gradient is taken with respect to, and the rewrites it must
  /// trigger (exactly these).
  typealias Case = (source: String, wrt: [String], applied: Set<StableRewrite>)

  static let firing: [Case] = [
    ("log(sigmoid(z))", ["z"], [.logSigmoid]),
    ("log(p)", ["z"], [.logSigmoid]),
    ("log(1 - sigmoid(z))", ["z"], [.logOneMinusSigmoid]),
    ("log(-sigmoid(z) + 1)", ["z"], [.logOneMinusSigmoid]),
    ("log(1.0 - p)", ["z"], [.logOneMinusSigmoid]),
    ("log(softmax(x))", ["x"], [.logSoftmax]),
    ("log(softmax(x, axis=0))", ["x"], [.logSoftmax]),
    ("log(exp(x) / sum(exp(x), axis=1, keepdims=true))", ["x"], [.softmax, .logSoftmax]),
    ("log(sum(exp(x), axis=1))", ["x"], [.logSumExp]),
    ("log(sum(exp(x), axis=0, keepdims=true))", ["x"], [.logSumExp]),
    ("log(sum(exp(x)))", ["x"], [.logSumExp]),
    ("exp(x) / sum(exp(x), axis=1, keepdims=true)", ["x"], [.softmax]),
    ("exp(x) / sum(exp(x), axis=-1, keepdims=true)", ["x"], [.softmax]),
    ("exp(x) / sum(exp(x), axis=0)", ["x"], [.softmax]),
    ("exp(x) / sum(exp(x))", ["x"], [.softmax]),
    ("exp(x) / reshape(sum(exp(x), axis=1), [2, 1])", ["x"], [.softmax]),
    ("exp(x * 2 - 1) / sum(exp(x * 2 - 1), axis=1, keepdims=true)", ["x"], [.softmax]),
    ("log(1 + u)", ["u"], [.log1p]),
    ("log(u + 1)", ["u"], [.log1p]),
    ("log([1.0] + s)", ["s"], [.log1p]),
    ("exp(u) - 1", ["u"], [.expm1]),
    ("exp(u) + (-1)", ["u"], [.expm1]),
    ("-1 + exp(u)", ["u"], [.expm1]),
    ("t * log(p) + (1 - t) * log(1 - p)", ["z", "t"], [.logSigmoid, .logOneMinusSigmoid, .binaryCrossEntropy]),
    ("(1 - t) * log(1 - p) + log(p) * t", ["z", "t"], [.logSigmoid, .logOneMinusSigmoid, .binaryCrossEntropy]),
    ("s * log(p) + (1 - s) * log(1 - p)", ["z", "s"], [.logSigmoid, .logOneMinusSigmoid, .binaryCrossEntropy]),
    ("t * log(sigmoid(z)) + (1 - t) * log(1 - sigmoid(z))", ["z", "t"],
     [.logSigmoid, .logOneMinusSigmoid, .binaryCrossEntropy]),
  ]

  /// Formulas that only look like one: a different constant, a bound `one` (its gradient
  /// is wanted), another reduction, a sum broadcast along the wrong axis, a different
  /// exponent, mismatched BCE targets.
  static let similar: [Case] = [
    ("log(2 - sigmoid(z))", ["z"], []),
    ("log(one - sigmoid(z))", ["z", "one"], []),
    ("log(sigmoid(z) * 2)", ["z"], []),
    ("exp(u) - 2", ["u"], []),
    ("exp(u) + 1", ["u"], []),
    ("log(2 + u)", ["u"], []),
    ("log(one + u)", ["u", "one"], []),
    ("log(mean(exp(x), axis=1))", ["x"], []),
    ("log(sum(sigmoid(x), axis=1))", ["x"], []),
    ("exp(q) / sum(exp(q), axis=1)", ["q"], []),
    ("exp(x) / sum(exp(x * 2), axis=1, keepdims=true)", ["x"], []),
    ("exp(x) / sum(exp(x), axis=1, keepdims=true) * 2", ["x"], [.softmax]),
    ("t * log(p) + (1 - s) * log(1 - p)", ["z", "t", "s"], [.logSigmoid, .logOneMinusSigmoid]),
    ("t * log(p) + (1 - t) * log(1 - sigmoid(u))", ["z", "t", "u"], [.logSigmoid, .logOneMinusSigmoid]),
  ]

  @Test(arguments: firing + similar)
  func rewrittenEqualsWritten(source: String, wrt: [String], applied: Set<StableRewrite>) throws {
    let on = try RewriteTestSupport.interpreter(rewrites: true, setup: Self.setup)
    let off = try RewriteTestSupport.interpreter(rewrites: false, setup: Self.setup)
    let stable = try #require(try RewriteTestSupport.run(source, wrt: wrt, in: on), "\(source)")
    let written = try #require(try RewriteTestSupport.run(source, wrt: wrt, in: off), "\(source)")
    #expect(Set(stable.applied.map(\.rewrite)) == applied, "\(source)")
    #expect(written.applied.isEmpty, "\(source): rewrites off")
    let tolerance = Tolerance(rtol: 1e-12, atol: 1e-14)
    #expect(stable.value.dtype == .float64 && stable.value.shape == written.value.shape, "\(source)")
    if let mismatch = tolerance.mismatch(stable.value.scalars, written.value.scalars) {
      Issue.record("\(source): value \(mismatch)")
    }
    for (name, (g, w)) in zip(wrt, zip(stable.gradients, written.gradients)) {
      if let mismatch = tolerance.mismatch(g.scalars, w.scalars) { Issue.record("\(source): d/d\(name) \(mismatch)") }
    }
  }

  /// The rewritten formulas pass a float64 finite-difference check of their gradients
  /// (`p` written out as `sigmoid(z)`, so that the check varies `z`).
  @Test(arguments: firing)
  func rewrittenGradientsPassGradcheck(source: String, wrt: [String], applied: Set<StableRewrite>) throws {
    let interpreter = try RewriteTestSupport.interpreter(rewrites: true, setup: Self.setup)
    let body = source.replacing(/\bp\b/, with: "sigmoid(z)")
    let names = wrt.joined(separator: ", ")
    let result = try interpreter.run("gradcheck(fn(\(names)) => sum(\(body)), \(names))")
    #expect(Set(interpreter.appliedRewrites.map(\.rewrite)) == applied, "\(source)")
    guard case .bool(true) = result else {
      Issue.record("\(source): gradcheck returned \(result)")
      return
    }
  }
}
