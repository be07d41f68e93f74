@testable import LossLang

/// Runs an expression with stable rewrites on or off and reads its value, the gradients of
/// its sum, and the rewrites applied, for the rewrite tests.
enum RewriteTestSupport {
  /// What one run gave.
  struct Run {
    let value: Tensor
    let gradients: [Tensor]
    let applied: [AppliedRewrite]
  }

  /// An interpreter with the prelude, stable rewrites `rewrites`, after `setup`.
  static func interpreter(rewrites: Bool, setup: String) throws -> Interpreter {
    var options = Interpreter.Options()
    options.rewrites = rewrites
    let interpreter = try Interpreter(options: options)
    try interpreter.run(setup, path: "setup.loss")
    return interpreter
  }

  /// `y = source` and `grad(sum(y), [wrt…])` in `interpreter` (the rewrites applied are those
  /// of this run only).
  static func run(_ source: String, wrt: [String], in interpreter: Interpreter) throws -> Run? {
    interpreter.clearAppliedRewrites()
    try interpreter.run("y = \(source)", path: "case.loss")
    let names = wrt.joined(separator: ", ")
    guard case .tensor(let value) = try interpreter.run("y"),
      case .list(let grads) = try interpreter.run("grad(sum(y), [\(names)])")
    else { return nil }
    let gradients = grads.compactMap { item -> Tensor? in
      if case .tensor(let g) = item { return g }
      return nil
    }
    guard gradients.count == wrt.count else { return nil }
    return Run(value: value, gradients: gradients, applied: interpreter.appliedRewrites)
  }
}
