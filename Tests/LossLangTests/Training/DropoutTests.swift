import Testing

@testable import LossLang

/// `dropout` (stdlib/layers.loss) as torch.nn.functional.dropout in training: its random mask
/// is LossLang's own (not torch's numbers), so the tests check the rule rather than values:
/// each element is 0 or x/(1-p), the zeros' share is p within five standard errors, the
/// gradient is the same mask scaled by 1/(1-p), and the ends p = 0 and p = 1.
@Suite struct DropoutTests {
  @Test(arguments: [0.1, 0.5, 0.8])
  func survivorsAreScaledAndTheZerosShareIsP(_ p: Double) throws {
    let interp = try Interpreter()
    try interp.run("x = float64(randn(20000, seed=3))\ny = dropout(x, p=\(p), seed=9)")
    let x = try #require(try interp.run("x").tensor).scalars
    let y = try #require(try interp.run("y").tensor).scalars
    var dropped = 0
    for (xi, yi) in zip(x, y) {
      if yi == 0 { dropped += 1 } else { #expect(Tolerance(rtol: 1e-15).accepts(yi, xi / (1 - p)), "\(yi) vs \(xi)/(1-\(p))") }
    }
    let n = Double(x.count)
    let share = Double(dropped) / n
    #expect(abs(share - p) <= 5 * (p * (1 - p) / n).squareRoot(), "zeros' share \(share) for p = \(p)")
  }

  /// The gradient flows through the same mask: d/dx sum(dropout(x)·c) = c·mask/(1-p).
  @Test func theGradientUsesTheSameMask() throws {
    let interp = try Interpreter()
    try interp.run("x = float64(randn(500, seed=1)) + 3\nc = float64(randn(500, seed=2))")
    let g = try #require(try interp.run("grad(sum(dropout(x, p=0.3, seed=4) * c), x)").tensor).scalars
    let y = try #require(try interp.run("dropout(x, p=0.3, seed=4)").tensor).scalars
    let x = try #require(try interp.run("x").tensor).scalars
    let c = try #require(try interp.run("c").tensor).scalars
    for i in x.indices {
      let want = y[i] == 0 ? 0 : c[i] / 0.7
      #expect(Tolerance(rtol: 1e-15).accepts(g[i], want), "element \(i): \(g[i]) vs \(want)")
    }
  }

  @Test func theEndsAreIdentityAndZeros() throws {
    let interp = try Interpreter()
    let x = try #require(try interp.run("x = randn(3, 4, seed=5)\nx").tensor).scalars
    #expect(try #require(try interp.run("dropout(x, p=0)").tensor).scalars == x)
    let zeros = try #require(try interp.run("dropout(x, p=1)").tensor)
    #expect(zeros.shape == [3, 4] && zeros.scalars.allSatisfy { $0 == 0 })
    let g = try #require(try interp.run("grad(sum(dropout(x, p=1)), x)").tensor)
    #expect(g.scalars.allSatisfy { $0 == 0 })
  }

  @Test func theSameSeedGivesTheSameMask() throws {
    let interp = try Interpreter()
    let a = try #require(try interp.run("dropout(ones(100), seed=6)").tensor).scalars
    #expect(try #require(try interp.run("dropout(ones(100), seed=6)").tensor).scalars == a)
    #expect(try #require(try interp.run("dropout(ones(100), seed=7)").tensor).scalars != a)
    #expect(try #require(try interp.run("dropout(ones(100))").tensor).scalars
            != (try #require(try interp.run("dropout(ones(100))").tensor).scalars))
  }

  @Test func theDtypeIsKept() throws {
    let interp = try Interpreter()
    #expect(try #require(try interp.run("dropout(ones(4), seed=1)").tensor).dtype == .float32)
    #expect(try #require(try interp.run("dropout(float64(ones(4)), seed=1)").tensor).dtype == .float64)
  }

  @Test(arguments: [
    ("dropout(ones(3), p=1.5)", "assertion failed: dropout: p must be between 0 and 1, got 1.5"),
    ("dropout(ones(3), p=-0.1)", "assertion failed: dropout: p must be between 0 and 1, got -0.1"),
  ])
  func pOutsideTheUnitIntervalIsAnError(_ source: String, _ message: String) throws {
    let error = #expect(throws: LossLangError.self) { try Interpreter().run(source) }
    #expect(error?.message == message, "\(source): \(String(describing: error?.message))")
  }

  static let gradcheckCases: [GradcheckCase] = [
    ("dropout", "fn(x) => sum(dropout(x, p=0.4, seed=2) * [0.3, -1.1, 0.8, 0.5, -0.2, 1.4])", "[0.5, -1.2, 2.0, 1.5, 0.3, -0.7]"),
    ("dropout_squared", "fn(x) => sum(dropout(x^2, p=0.25, seed=8))", "[[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]]"),
  ]

  @Test(arguments: gradcheckCases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.gradcheckCases, preamble: "")
  }
}
