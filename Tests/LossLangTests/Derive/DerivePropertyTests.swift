import Testing

@testable import LossLang

/// For random expressions of the property-test generator, `derive`'s text evaluated in the
/// same scope equals `grad` with respect to every input, to 1e-9 in float64.
@Suite struct DerivePropertyTests {
  @Test(arguments: 0..<300 as Range<UInt64>)
  func derivativeTextEvaluatesToTheGradient(seed: UInt64) throws {
    let expression = ExpressionGenerator.make(seed: seed, smoothOnly: seed % 2 == 0)
    var options = Interpreter.Options()
    options.loadPrelude = false
    let interpreter = try Interpreter(options: options)
    var random = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15)
    for (name, shape) in expression.inputs {
      let values = (0..<shape.reduce(1, *)).map { _ in Double.random(in: -2...2, using: &random) }
      interpreter.bind(name, try Tensor(values, shape: shape, dtype: .float64))
    }
    // sin mixes the elements nonlinearly, so every output element's gradient matters.
    let y = "sum(sin(\(expression.text)))"
    for (name, _) in expression.inputs {
      let outcome = try DeriveSupport.derive(interpreter, y, wrt: name)
      #expect(DeriveSupport.tolerance.accepts(outcome.evaluated, outcome.gradient),
              "seed \(seed): d/d\(name) \(y) = \(outcome.text): \(outcome.evaluated.scalars) vs grad \(outcome.gradient.scalars)")
    }
  }
}
