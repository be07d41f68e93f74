import Foundation
import Testing

@testable import LossLang

/// Every script in `examples/` runs to completion (each asserts its own numbers).
@Suite struct ExamplesTests {
  static let directory = repositoryRoot.appendingPathComponent("examples")

  static let examples: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".loss") }.sorted()
  }()

  @Test func examplesAreFound() {
    #expect(Self.examples.contains("quickstart.loss"), "no examples in \(Self.directory.path)")
  }

  @Test(arguments: examples)
  func example(_ name: String) throws {
    let interp = try Interpreter()
    var printed = ""
    interp.output = { printed += $0 }
    try interp.runFile(Self.directory.appendingPathComponent(name).path)
    #expect(!printed.isEmpty, "\(name) printed nothing")
  }
}
