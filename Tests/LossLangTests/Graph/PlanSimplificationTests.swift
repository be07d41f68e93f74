import Testing
@testable import LossLang

/// The planner's rewrites: CSE, constant folding, algebraic cleanup and constant powers.
@Suite("Plan simplification")
struct PlanSimplificationTests {
  private func plan(_ interp: Interpreter, _ source: String) throws -> Plan {
    try Plan(LiveGraph(roots: [PlanTestSupport.trace(interp, source)]))
  }

  @Test func squareOfOneMinusIsOneMultiply() throws {
    let interp = try Interpreter()
    interp.bind("pt", try Tensor([0.1, 0.5, 0.9], shape: [3]))
    let kernels = PlanTestSupport.kernels(try plan(interp, "(1 - pt)^2"))
    #expect(kernels.count == 1)
    #expect(kernels.first.map(PlanTestSupport.opcodes) == ["rsubImm", "mul"])
  }

  @Test func commonSubexpressionsAreComputedOnce() throws {
    let interp = try Interpreter()
    interp.bind("x", try Tensor([0.1, 0.5, 0.9], shape: [3]))
    let kernels = PlanTestSupport.kernels(try plan(interp, "exp(x) * 2 + exp(x) * 2"))
    #expect(kernels.first.map(PlanTestSupport.opcodes) == ["exp", "mulImm", "add"])
  }

  @Test func identitiesAndLiteralArithmeticFold() throws {
    let interp = try Interpreter()
    interp.bind("x", try Tensor([0.1, 0.5, 0.9], shape: [3]))
    #expect(try plan(interp, "(x * 1 + 0) / 1 - 0").steps.isEmpty)
    let kernels = PlanTestSupport.kernels(try plan(interp, "x * (2 * 3 - 5 + log(1))"))
    #expect(kernels.count == 0, "x * 1 after folding the literal arithmetic")
  }

  @Test func timesZeroKeepsNaNAndInfinity() throws {
    let interp = try Interpreter()
    interp.bind("x", try Tensor([.nan, .infinity, 2], shape: [3]))
    let (fused, _) = try PlanTestSupport.bothWays(interp, "x * 0")
    let values = try #require(fused.first).scalars
    #expect(values[0].isNaN && values[1].isNaN && values[2] == 0)
  }

  @Test("constant powers keep pow's values, special cases included",
        arguments: [-16.5, -3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 7, 16, 16.5])
  func constantPowers(_ p: Double) throws {
    let interp = try Interpreter()
    let specials: [Double] = [-.infinity, -2.5, -1, -0.0, 0, 1e-3, 0.3, 1, 2.5, 1e3, .infinity, .nan]
    interp.bind("x", try Tensor(specials, shape: [specials.count], dtype: .float64))
    let (fused, unfused) = try PlanTestSupport.bothWays(interp, "x ^ \(p)")
    let (f, u) = (try #require(fused.first), try #require(unfused.first))
    #expect(Tolerance(rtol: 1e-14).accepts(f, u), "x^\(p): fused \(f.scalars), unfused \(u.scalars)")
    #expect(zip(f.scalars, u.scalars).allSatisfy { $0 != 0 || $0.sign == $1.sign }, "signed zeros of x^\(p)")
    #expect(!PlanTestSupport.kernels(try plan(interp, "x ^ \(p)")).flatMap(PlanTestSupport.opcodes).contains("pow"))
  }

  @Test func nonLiteralPowersStayPow() throws {
    let interp = try Interpreter()
    interp.bind("x", try Tensor([0.1, 0.5, 0.9], shape: [3]))
    let kernels = PlanTestSupport.kernels(try plan(interp, "x ^ 2.25"))
    #expect(kernels.first.map(PlanTestSupport.opcodes) == ["pow"])
  }
}
