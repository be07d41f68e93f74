import Testing

@testable import LossLang

/// Random differentiable expressions pass `gradcheck` (float64 central differences against
/// the analytic gradient with respect to every input).
@Suite struct GradcheckPropertyTests {
  @Test(arguments: 0..<80 as Range<UInt64>)
  func randomExpressionPassesGradcheck(seed: UInt64) throws {
    let expression = ExpressionGenerator.make(seed: seed, smoothOnly: true)
    let interpreter = try ExpressionPropertySupport.interpreter(for: expression, seed: seed)
    let names = ExpressionPropertySupport.parameters(expression)
    // sin mixes the elements nonlinearly, so every output element's gradient matters.
    try interpreter.run("def g(\(names)) = sum(sin(f(\(names))))")
    do {
      let result = try interpreter.run("gradcheck(g, \(names))")
      guard case .bool(true) = result else {
        Issue.record("seed \(seed): \(expression.text): gradcheck returned \(result)")
        return
      }
    } catch let error as LossLangError {
      Issue.record("seed \(seed): \(expression.text): \(error.message)")
    }
  }
}
