import Foundation
import Testing

@testable import LossLang

/// The f-string format-spec mini-language against Python's own `format(value, spec)`
/// (`Fixtures/format.json`, written by `scripts/make_format_fixtures.py`).
@Suite struct FormatSpecTests {
  struct Case: Decodable, CustomStringConvertible {
    let kind: String
    let value: String
    let spec: String
    let expected: String
    var description: String { "format(\(value), '\(spec)')" }
  }

  static let cases: [Case] = {
    guard let data = try? Data(contentsOf: FixtureFile.url("format.json")) else { return [] }
    return (try? JSONDecoder().decode([Case].self, from: data)) ?? []
  }()

  @Test func fixturesLoaded() {
    #expect(Self.cases.count > 1000)
  }

  @Test func matchesPython() throws {
    try #require(!Self.cases.isEmpty)
    var failures: [String] = []
    for c in Self.cases {
      let spec = try FormatSpec(c.spec)
      let got: String
      if c.kind == "string" {
        got = try spec.format(string: c.value)
      } else {
        let v = try #require(Double(c.value == "nan" ? "nan" : c.value))
        got = try spec.format(number: v, general: TensorFormatter.number(v))
      }
      if got != c.expected { failures.append("\(c): got '\(got)', Python '\(c.expected)'") }
    }
    #expect(failures.isEmpty, "\(failures.count) differ:\n\(failures.prefix(20).joined(separator: "\n"))")
  }

  @Test func rejectsWhatPythonRejects() {
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec(".4q") }
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec(".") }
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec("99999") }
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec("d").format(number: 2.5, general: "2.5") }
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec("+").format(string: "a") }
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec(".2f").format(string: "a") }
    #expect(throws: FormatSpec.Failure.self) { try FormatSpec("s").format(number: 1, general: "1") }
  }
}
