import Foundation
import Testing

@testable import LossLang

/// Every module of `stdlib/` is compiled into the library, and loads.
@Suite struct StdlibTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("stdlib")

  @Test func everyModuleIsEmbedded() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
      .filter { $0.hasSuffix(".loss") }.sorted()
    #expect(names.contains("prelude.loss"))
    #expect(Set(names) == Set(EmbeddedStdlib.modules.keys), "list each stdlib/*.loss in EmbeddedStdlib.modules")
    for name in names {
      let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
      #expect(EmbeddedStdlib.modules[name] == text, "\(name) is not the embedded resource")
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
