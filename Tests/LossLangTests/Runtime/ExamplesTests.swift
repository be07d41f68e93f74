import Foundation
import Testing

@testable import LossLang

/// Every script in `examples/` and `examples/experiments/` runs to completion (each asserts
/// its own numbers, so a failed `assert` fails its test).
@Suite struct ExamplesTests {
  static let directory = repositoryRoot.appendingPathComponent("examples")
  static let experimentsDirectory = directory.appendingPathComponent("experiments")

  static let examples = scripts(in: directory)
  static let experiments = scripts(in: experimentsDirectory)

  /// The `.loss` files directly in `folder`, sorted by name.
  static func scripts(in folder: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".loss") }.sorted()
  }

  /// Runs the script at `path` through the library and checks it printed something.
  func run(_ path: URL) throws {
    let interp = try Interpreter()
    var printed = ""
    interp.output = { printed += $0 }
    try interp.runFile(path.path)
    #expect(!printed.isEmpty, "\(path.lastPathComponent) printed nothing")
  }

  @Test func examplesAreFound() {
    #expect(Self.examples.contains("quickstart.loss"), "no examples in \(Self.directory.path)")
  }

  @Test func experimentsAreFound() throws {
    let lessons: Set = [
      "adagrad_quadratic.loss", "robust_regression.loss", "focal_vs_ce.loss", "warmup_cosine.loss",
      "triplet_recall.loss", "label_smoothing_ece.loss", "mini_clip.loss", "uncertainty_weighting.loss",
    ]
    #expect(lessons.isSubset(of: Self.experiments), "the lessons' experiments in \(Self.experimentsDirectory.path), found \(Self.experiments)")
  }

  @Test(arguments: examples)
  func example(_ name: String) throws {
    try run(Self.directory.appendingPathComponent(name))
  }

  @Test(arguments: experiments)
  func experiment(_ name: String) throws {
    try run(Self.experimentsDirectory.appendingPathComponent(name))
  }
}
