import Foundation
import Testing

@testable import LossLang

/// The rewritten textbook formulas against PyTorch's stable functions on inputs where the
/// written form overflows or loses everything (`Fixtures/rewrites.json`, written by
/// `scripts/make_rewrite_fixtures.py`): values and gradients match with rewrites on, and
/// do not with rewrites off.
@Suite struct RewriteFixtureTests {
  /// One case of the fixture file.
  struct Case: Codable, Sendable, CustomTestStringConvertible {
    let name: String
    let source: String
    let dtype: String
    let wrt: [String]
    let inputs: [String: FixtureTensor]
    let value: FixtureTensor
    let grads: [String: FixtureTensor]
    /// |got - want| <= max(rtol·|want|, atol): the dtype's usual tolerance, with no floor
    /// (`atol` 0) where the values themselves are tiny (`log(1 + 1e-20)`).
    let rtol: Double
    let atol: Double

    var testDescription: String { "\(name) \(dtype)" }

    var tolerance: Tolerance { Tolerance(rtol: rtol, atol: atol) }
  }

  /// The fixture file's layout.
  struct File: Codable {
    let cases: [Case]
  }

  static let cases: [Case] = {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    guard let data = try? Data(contentsOf: FixtureFile.url("rewrites.json")),
      let file = try? decoder.decode(File.self, from: data)
    else { return [] }
    return file.cases
  }()

  @Test func fixturesLoaded() {
    #expect(Self.cases.count == 18)
  }

  /// The case's run: `y = source` with the inputs bound in the case's dtype.
  static func run(_ c: Case, rewrites: Bool) throws -> RewriteTestSupport.Run? {
    let interpreter = try RewriteTestSupport.interpreter(rewrites: rewrites, setup: "")
    let dtype: DType = c.dtype == "float64" ? .float64 : .float32
    for (name, input) in c.inputs { interpreter.bind(name, try Tensor(input.data, shape: input.shape, dtype: dtype)) }
    return try RewriteTestSupport.run(c.source, wrt: c.wrt, in: interpreter)
  }

  @Test(arguments: cases)
  func stableFormMatchesPyTorch(_ c: Case) throws {
    let run = try #require(try Self.run(c, rewrites: true))
    #expect(!run.applied.isEmpty, "\(c.name)")
    #expect(run.value.shape == c.value.shape)
    if let mismatch = c.tolerance.mismatch(run.value.scalars, c.value.data) { Issue.record("\(c.name) value: \(mismatch)") }
    for (name, g) in zip(c.wrt, run.gradients) {
      let want = try #require(c.grads[name])
      if let mismatch = c.tolerance.mismatch(g.scalars, want.data) { Issue.record("\(c.name) d/d\(name): \(mismatch)") }
    }
  }

  /// Without rewrites the written form is computed, and misses PyTorch's stable value.
  @Test(arguments: cases)
  func writtenFormMissesWithoutRewrites(_ c: Case) throws {
    let run = try #require(try Self.run(c, rewrites: false))
    #expect(run.applied.isEmpty)
    #expect(c.tolerance.mismatch(run.value.scalars, c.value.data) != nil, "\(c.name): the written form was fine")
  }
}
