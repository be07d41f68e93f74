import Testing

@testable import LossLang

/// `derive` on the losses the lessons differentiate by hand prints the textbook formula.
///
/// Each expected string is written from the formula (not copied from the output), with the
/// data's sizes filled in; each text is also evaluated and compared with `grad` (float64 data).
@Suite struct DeriveGoldenTests {
  /// One loss: the bindings it needs, the scalar, the variable, and the textbook derivative.
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let setup: String
    let y: String
    let x: String
    let expected: String
    var testDescription: String { name }
  }

  static let regression = "p = float64([0.5, 1.0, 2.5, 4.0]); t = float64([1.0, 0.0, 1.0, 1.0]); z = float64([0.5, -1.0, 2.0, 0.3])"

  static let cases: [Case] = [
    // MSE: d/dp (1/n) Σ (p - t)² = 2 (p - t) / n, n = 4.
    Case(name: "MSE written out", setup: regression, y: "mean((p - t)^2)", x: "p", expected: "(p - t) / 2"),
    Case(name: "mse_loss", setup: regression, y: "mse_loss(p, t)", x: "p", expected: "(p - t) / 2"),
    // BCE with logits: d/dz (1/n) Σ [(1 - t) z - log σ(z)] = (σ(z) - t) / n.
    Case(name: "binary_cross_entropy_with_logits", setup: regression,
         y: "binary_cross_entropy_with_logits(z, t)", x: "z", expected: "(sigmoid(z) - t) / 4"),
    // Softmax CE with probability targets q over N = 2 rows:
    // d/dx -(1/N) Σ q · log_softmax(x) = (Σ_c q · softmax(x) - q) / N (softmax(x) - q when rows of q sum to 1).
    Case(name: "cross_entropy, probability targets",
         setup: "x = float64([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]); q = float64([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]])",
         y: "cross_entropy(x, q)", x: "x", expected: "(sum(q, axis=1, keepdims=true) * softmax(x, axis=1) - q) / 2"),
    // Focal on probabilities, FL = -(1/n) Σ t (1 - p)^γ log p, γ = 2, n = 4:
    // dFL/dp = (t/n) [γ (1 - p) log p - (1 - p)^γ / p] = log(p) t (1 - p) / 2 - t (1 - p)² / p / 4.
    Case(name: "focal", setup: regression + "; pz = sigmoid(z); def focal(p, t, gamma=2.0) = mean(-t * (1 - p)^gamma * log(p))",
         y: "focal(pz, t)", x: "pz", expected: "u = 1 - pz; log(pz) * t * u / 2 - t * u ^ 2 / pz / 4"),
    // Smooth L1 (β = 1): d/dz (1/n) Σ ℓ(z - t) with ℓ' = d for |d| < 1, sign(d) else;
    // written |d|·sign(d) / n and sign(d) / n, n = 4.
    Case(name: "smooth_l1_loss", setup: regression, y: "smooth_l1_loss(z, t)", x: "z",
         expected: "u = z - t; v = abs(u); where(v < 1, v / 4, 0.25) * sign(u)"),
    // Contrastive (Hadsell et al.) in the distance d, margin 1, N = 2 pairs:
    // d/dd (1/N) Σ [(1 - y) d²/2 + y max(0, 1 - d)²/2] = ((1 - y) d - y max(0, 1 - d)) / N.
    Case(name: "contrastive",
         setup: "a = float64([[1.0, 2.0], [0.5, -1.0]]); b = float64([[0.0, 1.0], [0.7, -0.5]]); y = float64([0.0, 1.0]); d = norm(a - b, axis=1)",
         y: "mean((1 - y) * d^2 / 2 + y * relu(1 - d)^2 / 2)", x: "d", expected: "((1 - y) * d - y * relu(1 - d)) / 2"),
  ]

  @Test(arguments: cases)
  func derivativeReadsAsTheTextbookFormula(_ c: Case) throws {
    let interpreter = try Interpreter()
    try interpreter.run(c.setup)
    let outcome = try DeriveSupport.derive(interpreter, c.y, wrt: c.x)
    #expect(outcome.text == c.expected)
    #expect(DeriveSupport.tolerance.accepts(outcome.evaluated, outcome.gradient),
            "\(outcome.text): \(outcome.evaluated.scalars) vs grad \(outcome.gradient.scalars)")
  }

  /// `help(derive)` shows the contract's example.
  @Test func helpShowsTheExample() throws {
    let text = try #require(try Interpreter().helpText(for: "derive"))
    #expect(text.hasPrefix("derive(y, x)\n"))
    #expect(text.contains("derive(mean((p - t)^2), p) with 4-element p gives \"(p - t) / 2\""))
  }
}
