import Foundation
import Testing

@testable import LossLang

/// One initializer call of `Fixtures/init_bounds.json` (from `scripts/make_layer_fixtures.py`):
/// the LossLang call, the dict key of its tensor (init_linear), its shape, and the bound
/// torch's initializer uses for that shape.
struct InitBound: Codable, Sendable {
  let expr: String
  let key: String?
  let shape: [Int]
  let bound: Double

  var name: String { expr + (key.map { "[\"\($0)\"]" } ?? "") }

  static let all: [InitBound] = (try? load()) ?? []

  static func load() throws -> [InitBound] {
    try JSONDecoder().decode([InitBound].self, from: Data(contentsOf: FixtureFile.url("init_bounds.json")))
  }
}

/// The initializers of stdlib/layers.loss against torch's distributions: LossLang's random
/// numbers are not torch's, so each draw is checked statistically against torch's bound b
/// for its shape: every value in [-b, b], the largest near b, and the mean and mean square
/// of U(-b, b) (0 and b²/3) within five standard errors.
@Suite struct LayerInitTests {
  @Test func theFixtureFileCoversEveryInitializer() throws {
    let calls = Set(try InitBound.load().map { String($0.expr.prefix { $0 != "(" }) })
    #expect(calls == ["xavier_uniform", "kaiming_uniform", "init_linear"])
  }

  @Test(arguments: InitBound.all.map(\.name))
  func drawsFollowTorchsDistribution(_ name: String) throws {
    let fixture = try #require(InitBound.all.first { $0.name == name })
    let source = fixture.key.map { "(\(fixture.expr))[\"\($0)\"]" } ?? fixture.expr
    let x = try #require(try Interpreter().run(source).tensor, "\(source) is not a tensor")
    #expect(x.shape == fixture.shape && x.dtype == .float32, "\(name): shape \(x.shape), dtype \(x.dtype)")
    let values = x.scalars
    let b = fixture.bound
    // float32 rounds the bound itself by at most half an ulp.
    let largest = values.map(abs).max() ?? 0
    #expect(largest <= b * (1 + 0x1p-23), "\(name): |x| reaches \(largest) > bound \(b)")
    let n = Double(values.count)
    guard values.count >= 1000 else { return }
    #expect(largest >= b * (1 - 20 / n), "\(name): the largest |x| is \(largest), far below the bound \(b)")
    let mean = values.reduce(0, +) / n
    #expect(abs(mean) <= 5 * b / (3 * n).squareRoot(), "\(name): mean \(mean)")
    let meanSquare = values.reduce(0) { $0 + $1 * $1 } / n
    let standardError = b * b * (4.0 / 45).squareRoot() / n.squareRoot()
    #expect(abs(meanSquare - b * b / 3) <= 5 * standardError, "\(name): mean square \(meanSquare), expected \(b * b / 3)")
  }

  @Test(arguments: ["xavier_uniform([30, 20], seed=SEED)", "kaiming_uniform([30, 20], a=0.1, seed=SEED)",
                    "init_linear(20, 30, seed=SEED)[\"weight\"]", "init_linear(20, 30, seed=SEED)[\"bias\"]"])
  func theSameSeedGivesTheSameValues(_ call: String) throws {
    let draw = { (seed: Int) in try #require(try Interpreter().run(call.replacingOccurrences(of: "SEED", with: "\(seed)")).tensor).scalars }
    #expect(try draw(4) == draw(4))
    #expect(try draw(4) != draw(5))
  }

  /// Without seed=, each call continues the interpreter's stream (as rand does).
  @Test func withoutASeedEachCallDrawsNewNumbers() throws {
    let interp = try Interpreter()
    let first = try #require(try interp.run("xavier_uniform([4, 4])").tensor).scalars
    let second = try #require(try interp.run("xavier_uniform([4, 4])").tensor).scalars
    #expect(first != second)
  }

  /// Weight and bias come from one draw, so they share no numbers although they share a seed.
  @Test func initLinearWeightAndBiasAreIndependent() throws {
    let interp = try Interpreter()
    try interp.run("p = init_linear(4, 3, seed=7)")
    let w = try #require(try interp.run("p[\"weight\"]").tensor).scalars
    let b = try #require(try interp.run("p[\"bias\"]").tensor).scalars
    #expect(Set(w).isDisjoint(with: b))
    #expect(try interp.run("keys(p)").description == "[weight, bias]")
  }

  /// As nn.Linear with no inputs: an empty weight and a zero bias.
  @Test func initLinearWithoutInputsHasAZeroBias() throws {
    let interp = try Interpreter()
    try interp.run("p = init_linear(0, 3, seed=1)")
    #expect(try #require(try interp.run("p[\"weight\"]").tensor).shape == [3, 0])
    #expect(try #require(try interp.run("p[\"bias\"]").tensor).scalars == [0, 0, 0])
  }

  @Test func dtypeIsFloat32UnlessGiven() throws {
    let interp = try Interpreter()
    for call in ["xavier_uniform([3, 2], seed=1", "kaiming_uniform([3, 2], seed=1", "init_linear(2, 3, seed=1"] {
      let suffix = call.hasPrefix("init_linear") ? "[\"bias\"]" : ""
      #expect(try #require(try interp.run(call + ")" + suffix).tensor).dtype == .float32, "\(call)")
      #expect(try #require(try interp.run(call + ", dtype=\"float64\")" + suffix).tensor).dtype == .float64, "\(call)")
    }
  }

  /// torch's fans: fan_in = shape[1]·r, fan_out = shape[0]·r with r the product of the rest
  /// (the fixture's 3-D and 4-D shapes check the bounds; here an empty receptive field).
  @Test func aShapeWithAZeroSizeGivesAnEmptyTensor() throws {
    let interp = try Interpreter()
    #expect(try #require(try interp.run("xavier_uniform([3, 0, 2], seed=1)").tensor).shape == [3, 0, 2])
    #expect(try #require(try interp.run("kaiming_uniform(shape(zeros(0, 4)), seed=1)").tensor).shape == [0, 4])
  }

  @Test(arguments: [
    ("xavier_uniform([5])",
     "assertion failed: xavier_uniform: fan in and fan out can not be computed for a shape with fewer than 2 dimensions, got [5]"),
    ("kaiming_uniform(4)", "assertion failed: kaiming_uniform: shape must be a list of sizes, got 4"),
    ("kaiming_uniform([2, -1])",
     "assertion failed: kaiming_uniform: the sizes in shape must each be a non-negative whole number, got -1"),
    ("init_linear(2.5, 2)", "assertion failed: init_linear: in_features must be a non-negative whole number, got 2.5"),
    ("init_linear(2, -3)", "assertion failed: init_linear: out_features must be a non-negative whole number, got -3"),
    ("linear(ones(2, 3), ones(4, 2))",
     "assertion failed: linear: x has shape [2, 3] but weight has shape [4, 2]; the last axes must match"),
    ("linear(ones(2, 3), ones(4, 3, 1))",
     "assertion failed: linear: weight must have shape (out_features, in_features) or (in_features), got shape [4, 3, 1]"),
  ])
  func badArgumentsAreClearErrors(_ source: String, _ message: String) throws {
    let error = #expect(throws: LossLangError.self) { try Interpreter().run(source) }
    #expect(error?.message == message, "\(source): \(String(describing: error?.message))")
  }

  static let gradcheckCases: [GradcheckCase] = [
    ("linear", "fn(x, w, b) => sum(linear(x, w, b) * [[0.3, -1.1], [0.8, 0.5], [-0.2, 1.4]])",
     "[[0.5, -1.2, 2.0], [1.5, 0.3, -0.7], [0.1, 0.9, -2.2]]|[[0.4, -0.3, 1.1], [-0.8, 0.6, 0.2]]|[0.25, -0.5]"),
    ("linear_no_bias", "fn(x, w) => sum(linear(x, w)^2)", "[[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]]|[[0.4, -0.3, 1.1]]"),
    ("linear_vector_weight", "fn(x, w) => sum(sin(linear(x, w, 0.5)))", "[[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]]|[0.4, -0.3, 1.1]"),
  ]

  @Test(arguments: gradcheckCases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.gradcheckCases, preamble: "")
  }
}
