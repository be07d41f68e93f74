import Foundation
import Testing

import LossLang

/// `losslang --lint` on one small script per hazard and per stable rewrite
/// (`Fixtures/lint/NAME.loss`): standard error is exactly `NAME.expected`, written by hand
/// from the messages docs/lint.md specifies; standard output and the exit status are those
/// of the same run without `--lint`, which warns and notes none of it.
@Suite(.tags(.spawnsProcess)) struct LintGoldenTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/lint")

  static let scripts: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".loss") }.sorted()
  }()

  @Test func everyHazardHasAScript() {
    let hazards = [
      "log_of_zero", "log_of_negative", "division_by_zero", "float_equality", "sqrt_gradient", "pow_gradient",
      "loop_history", "empty_mean", "probability_range", "once_per_place",
    ]
    #expect(Set(hazards.map { $0 + ".loss" }).isSubset(of: Set(Self.scripts)))
  }

  @Test func everyRewriteHasAScript() {
    let rewrites = [
      "log_sigmoid", "log_one_minus_sigmoid", "log_softmax", "logsumexp", "softmax", "log1p", "expm1", "bce",
    ]
    #expect(rewrites.count == StableRewrite.allCases.count)
    #expect(Set(rewrites.map { "rewrite_\($0).loss" }).isSubset(of: Set(Self.scripts)))
  }

  @Test(arguments: scripts)
  func script(_ name: String) throws {
    let expectedURL = Self.directory.appendingPathComponent(name.replacingOccurrences(of: ".loss", with: ".expected"))
    let expected = try String(contentsOf: expectedURL, encoding: .utf8)
    let linted = try runLossLang(["--lint", name], directory: Self.directory)
    let plain = try runLossLang([name], directory: Self.directory)
    #expect(linted.stderr == expected, "\(name)")
    #expect(linted.stdout == plain.stdout, "\(name): --lint changed what the script printed")
    #expect(linted.status == plain.status, "\(name): --lint changed the exit status")
    #expect(!plain.stderr.contains("warning:"), "\(name): warned without --lint: \(plain.stderr)")
    #expect(!plain.stderr.contains("note:"), "\(name): noted without --lint: \(plain.stderr)")
  }
}
