import Testing

@testable import LossLang

/// Random well-typed expressions give the same values fused (one kernel per fusion group)
/// and unfused (one kernel per primitive), in float32 and float64, within the generator's
/// float32 error bound (fusion may reorder or contract operations, never change results
/// beyond rounding).
@Suite struct FusionPropertyTests {
  @Test(arguments: 0..<150 as Range<UInt64>)
  func fusedMatchesUnfused(seed: UInt64) throws {
    let expression = ExpressionGenerator.make(seed: seed, smoothOnly: false)
    let context = "seed \(seed): \(expression.text)"
    let fused = try ExpressionPropertySupport.interpreter(for: expression, seed: seed)
    let unfused = try ExpressionPropertySupport.interpreter(for: expression, seed: seed, fusion: false)
    let names = ExpressionPropertySupport.parameters(expression)
    let widened = expression.inputs.map { "float64(\($0.name))" }.joined(separator: ", ")
    let cases = [
      ("f(\(names))", 4 * expression.errorBound + 1e-6),
      // The bound is for float32; float64 rounds 2^29 times finer.
      ("f(\(widened))", 1e-8 * expression.errorBound + 1e-12),
    ]
    for (call, tolerance) in cases {
      let a = try #require(ExpressionPropertySupport.tensor(fused.run(call)), "\(context)")
      let b = try #require(ExpressionPropertySupport.tensor(unfused.run(call)), "\(context)")
      #expect(a.dtype == b.dtype && a.shape == b.shape, "\(context)")
      if let mismatch = Tolerance(atol: tolerance).mismatch(a.scalars, b.scalars) {
        Issue.record("\(context): \(call) fused against unfused: \(mismatch)")
      }
    }
  }
}
