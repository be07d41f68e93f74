import Foundation
import Testing

@testable import LossLang

/// The standard library compiled into the library matches `stdlib/`, and loads.
@Suite struct StdlibTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("stdlib")

  @Test func embeddedCopyIsCurrent() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
      .filter { $0.hasSuffix(".loss") }.sorted()
    #expect(names.contains("prelude.loss"))
    #expect(Set(names) == Set(EmbeddedStdlib.modules.keys), "run scripts/embed_stdlib.py")
    for name in names {
      let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
      #expect(EmbeddedStdlib.modules[name] == text.trimmingSuffixNewlines,
              "\(name) changed: run scripts/embed_stdlib.py")
    }
  }

  @Test func preludeFunctionsHaveDocumentation() throws {
    let interp = try Interpreter()
    var printed = ""
    interp.output = { printed += $0 }
    for name in ["reduce", "mse_loss", "cross_entropy", "sigmoid_focal_loss"] {
      printed = ""
      try interp.run("help(\(name))")
      #expect(printed.hasPrefix("\(name)("), "\(name): \(printed)")
      #expect(printed.split(separator: "\n").count >= 2, "\(name) has no documentation")
    }
  }

  @Test func privateHelpersAreNotListed() throws {
    let interp = try Interpreter()
    #expect(interp.evaluator.registry.lookup("_weighted_reduce") == nil)
    #expect(interp.evaluator.registry.lookup("mse_loss")?.origin == .prelude)
  }
}

extension String {
  /// The text without trailing newlines (the embedder strips them).
  var trimmingSuffixNewlines: String {
    var s = self
    while s.hasSuffix("\n") { s.removeLast() }
    return s
  }
}
