/// `derive(y, x)`: the gradient graph of `grad(y, x)` printed as LossLang.
extension Tracer {
  /// The most terms a derivative may have to be printed (its text nests that deep at most).
  static let maxDerivativeTerms = 2000

  /// dy/dx as LossLang source over `names` (the caller's name of each named node), built
  /// from the autodiff graph of `grad(y, x)`, simplified, with repeated subexpressions bound
  /// to names `isTaken` says are free.
  func derivativeText(
    of y: Node, wrt x: Node, names: [ObjectIdentifier: String], isTaken: @escaping (String) -> Bool
  ) throws -> String {
    guard let g = try gradients(of: y, wrt: [x]).first else { return "0" }
    var translator = DerivativeTranslator(names: names)
    let root = try translator.translate(g)
    let expression = translator.simplifier.expression
    guard expression.terms.count <= Self.maxDerivativeTerms else {
      throw LossLangError(.runtime, "derive: the derivative has \(expression.terms.count) terms, more than the \(Self.maxDerivativeTerms) it can print")
    }
    return ExpressionPrinter(expression: expression, isTaken: isTaken).text(root)
  }
}
