@testable import LossLang

/// Runs `derive` and checks its text the way the contract states it: evaluated in the same
/// scope, the text equals `grad(y, x)`.
enum DeriveSupport {
  /// How close the evaluated derivative must be to `grad` (float64 inputs).
  static let tolerance = Tolerance(rtol: 1e-9, atol: 1e-9)

  /// What one derivation gave.
  struct Outcome {
    /// derive's text.
    let text: String
    /// The text evaluated in the same scope.
    let evaluated: Tensor
    /// `grad(y, x)`.
    let gradient: Tensor
  }

  /// `derive(y, x)` for the global expression `y`, its text evaluated, and `grad(y, x)`.
  static func derive(_ interpreter: Interpreter, _ y: String, wrt x: String) throws -> Outcome {
    try interpreter.run("_derive_y = \(y)")
    guard case .string(let text) = try interpreter.run("derive(_derive_y, \(x))") else {
      throw LossLangError(.runtime, "derive did not return a string")
    }
    let evaluated = try tensor(interpreter.run(text))
    let gradient = try tensor(interpreter.run("grad(_derive_y, \(x))"))
    return Outcome(text: text, evaluated: evaluated, gradient: gradient)
  }

  /// A value's tensor (a number is a 0-d one), or an error naming what it was.
  static func tensor(_ value: Value) throws -> Tensor {
    guard let t = value.tensor else { throw LossLangError(.runtime, "expected a tensor, got \(value)") }
    return t
  }
}
