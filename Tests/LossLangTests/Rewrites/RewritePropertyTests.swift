import Testing

@testable import LossLang

/// Over random expressions `e` (ExpressionGenerator), each textbook formula of `e` and each
/// formula that only looks like one gives the same values and gradients with rewrites on as
/// off, wherever both are finite, and is never non-finite where the written form is finite;
/// the rewrites fire on the real formulas and never on the look-alikes.
@Suite struct RewritePropertyTests {
  /// A formula of `e` and the rewrite it must trigger (nil: a look-alike that must trigger
  /// none beyond those inside `e`).
  static let templates: [(text: String, fires: StableRewrite?)] = [
    ("log(sigmoid(e))", .logSigmoid),
    ("log(1 - sigmoid(e))", .logOneMinusSigmoid),
    ("log(1 + e ^ 2)", .log1p),
    ("exp(e) - 1", .expm1),
    ("log(sum(exp(e)))", .logSumExp),
    ("exp(e) / sum(exp(e))", .softmax),
    ("0.3 * log(sigmoid(e)) + (1 - 0.3) * log(1 - sigmoid(e))", .binaryCrossEntropy),
    ("log(2 - sigmoid(e))", nil),
    ("exp(e) - 2", nil),
    ("log(2 + e ^ 2)", nil),
    ("log(mean(exp(e)))", nil),
    ("exp(e) / (1 + sum(exp(e)))", nil),
    ("0.3 * log(sigmoid(e)) + (1 - 0.4) * log(1 - sigmoid(e))", nil),
  ]

  /// An interpreter without prelude, rewrites `rewrites`, the inputs of `expression` bound
  /// to float64 values in [-2, 2] fixed by `seed`, and `f<i>` defined for each template.
  static func interpreter(_ expression: ExpressionGenerator.Result, seed: UInt64, rewrites: Bool) throws -> Interpreter {
    var options = Interpreter.Options()
    options.loadPrelude = false
    options.rewrites = rewrites
    let interpreter = try Interpreter(options: options)
    var random = SeededGenerator(seed: seed &* 0x2545_F491_4F6C_DD1D)
    for (name, shape) in expression.inputs {
      let values = (0..<shape.reduce(1, *)).map { _ in Double.random(in: -2...2, using: &random) }
      interpreter.bind(name, try Tensor(values, shape: shape, dtype: .float64))
    }
    let names = ExpressionPropertySupport.parameters(expression)
    var source = "def e_only(\(names)) = \(expression.text)\n"
    for (i, template) in templates.enumerated() {
      source += "def f\(i)(\(names)) {\n  e = \(expression.text)\n  \(template.text)\n}\n"
    }
    try interpreter.run(source)
    return interpreter
  }

  /// The rewrites `call` applies in `interpreter`.
  static func applied(_ call: String, in interpreter: Interpreter) throws -> Set<StableRewrite> {
    interpreter.clearAppliedRewrites()
    _ = try interpreter.run(call)
    return Set(interpreter.appliedRewrites.map(\.rewrite))
  }

  @Test(arguments: 0..<60 as Range<UInt64>)
  func rewrittenEqualsWritten(seed: UInt64) throws {
    let expression = ExpressionGenerator.make(seed: seed, smoothOnly: true, depth: 3)
    let on = try Self.interpreter(expression, seed: seed, rewrites: true)
    let off = try Self.interpreter(expression, seed: seed, rewrites: false)
    let names = ExpressionPropertySupport.parameters(expression)
    let inside = try Self.applied("e_only(\(names))", in: on)
    for (i, template) in Self.templates.enumerated() {
      let context = "seed \(seed): e = \(expression.text); \(template.text)"
      let call = "[sum(f\(i)(\(names))), grad(sum(f\(i)(\(names))), [\(names)])]"
      let applied = try Self.applied(call, in: on)
      if let fires = template.fires {
        #expect(applied.contains(fires), "\(context): \(fires) did not fire")
      } else {
        let extra = applied.subtracting(inside).subtracting([.logSigmoid, .logOneMinusSigmoid])
        #expect(extra.isEmpty, "\(context): \(extra) fired on a look-alike")
      }
      let stable = try Self.flattened(on.run(call))
      let written = try Self.flattened(off.run(call))
      try #require(stable.count == written.count, "\(context)")
      Self.compare(stable, written, context)
    }
  }

  /// Equal within float64 rounding where both are finite; finite where the written form is.
  static func compare(_ stable: [Double], _ written: [Double], _ context: String) {
    let tolerance = Tolerance(rtol: 1e-8, atol: 1e-9)
    for (i, (a, b)) in zip(stable, written).enumerated() {
      if b.isFinite && !a.isFinite {
        Issue.record("\(context): element \(i) is \(a) rewritten, \(b) as written")
      } else if a.isFinite && b.isFinite && !tolerance.accepts(a, b) {
        Issue.record("\(context): element \(i) is \(a) rewritten, \(b) as written")
      }
    }
  }

  /// Every number of a value (tensors and nested lists of them), in order.
  static func flattened(_ value: Value) -> [Double] {
    switch value {
    case .tensor(let t): t.scalars
    case .list(let items): items.flatMap(flattened)
    default: []
    }
  }
}
