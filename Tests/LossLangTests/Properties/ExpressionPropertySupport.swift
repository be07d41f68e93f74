@testable import LossLang

/// Sets up an interpreter holding a generated expression as the function `f` and its
/// inputs as float32 globals, for the expression property tests.
enum ExpressionPropertySupport {
  /// An interpreter (no prelude, fused unless `fusion` is false) with
  /// `def f(x0, x1, …) = EXPRESSION` and each input bound to seeded float32 values in
  /// [-2, 2] (exactly representable, so float64 copies are equal).
  static func interpreter(
    for expression: ExpressionGenerator.Result, seed: UInt64, fusion: Bool = true
  ) throws -> Interpreter {
    var options = Interpreter.Options()
    options.loadPrelude = false
    options.fusion = fusion
    let interpreter = try Interpreter(options: options)
    var random = SeededGenerator(seed: seed &* 0x2545_F491_4F6C_DD1D)
    for (name, shape) in expression.inputs {
      let values = (0..<shape.reduce(1, *)).map { _ in Double(Float.random(in: -2...2, using: &random)) }
      interpreter.bind(name, try Tensor(values, shape: shape, dtype: .float32))
    }
    try interpreter.run("def f(\(parameters(expression))) = \(expression.text)")
    return interpreter
  }

  /// The input names as a parameter or argument list: `x0, x1`.
  static func parameters(_ expression: ExpressionGenerator.Result) -> String {
    expression.inputs.map(\.name).joined(separator: ", ")
  }

  /// The tensor a run returned, or nil when it returned something else.
  static func tensor(_ value: Value) -> Tensor? {
    if case .tensor(let t) = value { return t }
    return nil
  }
}
