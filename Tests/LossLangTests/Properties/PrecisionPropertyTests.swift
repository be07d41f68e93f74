import Testing

@testable import LossLang

/// Random well-typed expressions evaluate in float32 to within a derived error bound of
/// the same expression evaluated by LossLang in float64, with the dtypes and shapes the
/// generator predicts.
@Suite struct PrecisionPropertyTests {
  @Test(arguments: 0..<150 as Range<UInt64>)
  func float32MatchesFloat64(seed: UInt64) throws {
    let expression = ExpressionGenerator.make(seed: seed, smoothOnly: false)
    let context = "seed \(seed): \(expression.text)"
    let interpreter = try ExpressionPropertySupport.interpreter(for: expression, seed: seed)
    let names = ExpressionPropertySupport.parameters(expression)
    let widened = expression.inputs.map { "float64(\($0.name))" }.joined(separator: ", ")
    let single = try #require(ExpressionPropertySupport.tensor(interpreter.run("f(\(names))")), "\(context)")
    let double = try #require(ExpressionPropertySupport.tensor(interpreter.run("f(\(widened))")), "\(context)")
    #expect(single.dtype == .float32, "\(context)")
    #expect(double.dtype == .float64, "\(context)")
    #expect(single.shape == expression.shape, "\(context)")
    #expect(double.shape == expression.shape, "\(context)")
    let mismatch = Tolerance(atol: 4 * expression.errorBound + 1e-6).mismatch(single.scalars, double.scalars)
    #expect(mismatch == nil, "\(context): float32 against float64: \(mismatch ?? "")")
  }
}
