import Foundation
import LossLang
import Testing

/// The public API the REPL is built on: incomplete input, interrupts, `_`, help text,
/// function and binding introspection, value summaries, graphs and timing.
@Suite struct SessionAPITests {
  /// Collects what `print`/`help` write.
  final class Output: @unchecked Sendable {
    var text = ""
  }

  @Test(arguments: [
    ("f(1,", true), ("1 +", true), ("def g(a) {", true), ("x = [1, 2", true),
    ("1 + 1", false), ("x = (2 +* 3)", false), ("", false),
  ])
  func incompleteInput(_ text: String, _ incomplete: Bool) {
    #expect(Interpreter.isIncomplete(text) == incomplete)
  }

  @Test func underscoreHoldsTheLastValueWithItsGraph() throws {
    let interp = try Interpreter()
    _ = try interp.evaluateInteractive("[1.0, 2.0]")
    _ = try interp.evaluateInteractive("y = 3")
    let g = try interp.evaluateInteractive("grad(sum(_ ^ 2), _)")
    #expect(g.tensor?.scalars == [2, 4])
    #expect(try interp.evaluateInteractive("_").tensor?.scalars == [2, 4])
  }

  @Test func interruptStopsALoopAndTheNextRunWorks() throws {
    let interp = try Interpreter()
    let handle = interp.interruptHandle
    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(100)) { handle.interrupt() }
    let started = Date()
    #expect {
      try interp.run("for i in 0..<100000000 { z = i }")
    } throws: { error in
      (error as? LossLangError)?.message == "interrupted"
    }
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(handle.isRaised)
    #expect(try interp.run("1 + 1").description == "2")
    #expect(!handle.isRaised)
  }

  @Test func helpTextIsWhatHelpPrints() throws {
    let interp = try Interpreter()
    let output = Output()
    interp.output = { output.text += $0 }
    for name in ["sigmoid_focal_loss", "mse", "exp"] {
      output.text = ""
      try interp.run("help(\"\(name)\")")
      #expect(interp.helpText(for: name).map { $0 + "\n" } == output.text)
    }
    #expect(interp.helpText(for: "no_such_function") == nil)
  }

  @Test func functionsComeFromTheRegistry() throws {
    let interp = try Interpreter()
    let functions = interp.functions()
    #expect(!functions.contains { $0.name.hasPrefix("_") })
    let focal = try #require(functions.first { $0.name == "sigmoid_focal_loss" })
    #expect(focal.parameters.map(\.name) == ["inputs", "targets", "alpha", "gamma", "reduction"])
    #expect(focal.parameters[3].defaultText == "2.0")
    #expect(focal.origin == .prelude)
    #expect(focal.family == "classification")
    #expect(!focal.summary.isEmpty && !focal.summary.contains("\n"))
    #expect(functions.first { $0.name == "mse" }?.aliasOf == "mse_loss")
    #expect(functions.first { $0.name == "exp" }?.origin == .builtin)
    try interp.run("def mine(a, scale=2) = a * scale")
    #expect(interp.function(named: "mine")?.origin == .user)
    #expect(interp.function(named: "mine")?.parameters.map(\.name) == ["a", "scale"])
  }

  @Test func bindingsAndSummariesDoNotCompute() throws {
    let interp = try Interpreter()
    try interp.run("x = float64([[1.0, 2.0], [3.0, 4.0]])")
    let x = try #require(interp.bindings().first { $0.name == "x" })
    #expect(x.summary.kind == .tensor && x.summary.shape == [2, 2] && x.summary.dtype == .float64)
    #expect(x.summary.description == "tensor float64 (2, 2)")
    #expect(try interp.summary(of: "1.5").kind == .number)
    #expect(try interp.summary(of: "sum(x, axis=1)").shape == [2])
    #expect(try interp.summary(of: "[\"a\", 1]").itemCount == 2)
    #expect(try interp.summary(of: "mse_loss").signature?.hasPrefix("mse_loss(input, target") == true)
  }

  @Test func graphShowsValueAndGradients() throws {
    let interp = try Interpreter()
    try interp.run("x = [1.0, 2.0]\nt = [0.0, 1.0]")
    let report = try interp.graph(of: "mse_loss(x, t)")
    #expect(report.text.hasPrefix("value:\n"))
    #expect(report.text.contains("∂/∂t:") && report.text.contains("∂/∂x:"))
    #expect(report.text.contains("x: float32 (2,)"))
    #expect(report.dot.hasPrefix("digraph losslang {") && report.dot.hasSuffix("}\n"))
    #expect(report.nodeCount > 3)
    #expect(try interp.graph(of: "x * 2").text.contains("sum(value)"))
    #expect(throws: LossLangError.self) { try interp.graph(of: "\"text\"") }
  }

  @Test func timingReportsMedianAndSpread() throws {
    let interp = try Interpreter()
    let report = try interp.time("sum([1.0, 2.0] ^ 2)", budget: 0.05, maxRuns: 50)
    #expect(report.samples.count >= 3 && report.samples.count <= 50)
    #expect(report.minimum <= report.median && report.median <= report.maximum)
    #expect(report.description.hasPrefix("median "))
    #expect(TimingReport.format(0.00123) == "1.23 ms")
    #expect(TimingReport.format(2.5) == "2.50 s")
    #expect(TimingReport(samples: [3, 1, 2]).median == 2)
  }
}
