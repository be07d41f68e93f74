import Foundation
import Testing

@testable import LossLang

/// Warnings reach an embedding host through `Interpreter.onWarning`: located at the user's
/// call, rendered compiler-style, delivered once per source location.
@Suite struct WarningHandlerTests {
  /// PyTorch's kl_div warning for reduction "mean", as LossLang words it.
  static let klDivMean = "kl_div: reduction 'mean' divides the total loss by both the batch size and the support size; "
    + "'batchmean' divides only by the batch size, and aligns with the KL div math definition"

  /// An interpreter whose warnings are collected into the returned box.
  func collecting() throws -> (Interpreter, WarningBox) {
    let interp = try Interpreter()
    let box = WarningBox()
    interp.onWarning = { box.items.append($0) }
    return (interp, box)
  }

  @Test func klDivWithMeanWarnsAtTheUsersCall() throws {
    let (interp, box) = try collecting()
    let source = "q = log_softmax([[0.1, 0.9], [0.3, 0.7]], 1)\np = [[0.5, 0.5], [0.2, 0.8]]\nl = kl_div(q, p)\n"
    try interp.run(source, path: "kl.loss")
    let d = try #require(box.items.first)
    #expect(box.items.count == 1)
    #expect(d.severity == .warning)
    #expect(d.message == Self.klDivMean)
    let span = try #require(d.span)
    #expect(span.line == 3 && span.column == 5)
    // The caret spans the call `kl_div(q, p)`: 12 characters from column 5.
    #expect(d.description == "kl.loss:3:5: warning: \(Self.klDivMean)\nl = kl_div(q, p)\n    ^" + String(repeating: "~", count: 11))
  }

  @Test func klDivWithOtherReductionsDoesNotWarn() throws {
    let (interp, box) = try collecting()
    try interp.run("q = log_softmax([[0.1, 0.9]], 1)\np = [[0.5, 0.5]]\n"
      + "a = kl_div(q, p, reduction=\"batchmean\")\nb = kl_div(q, p, \"sum\")\nc = kl_div(q, p, reduction=\"none\")\n")
    #expect(box.items.isEmpty)
  }

  @Test func aWarningDoesNotChangeTheResult() throws {
    let (interp, box) = try collecting()
    // Σ p·(log p - q) / numel with p = [0.5, 0.5], q = log [0.25, 0.75]:
    // (0.5·log 2 + 0.5·log(2/3)) / 2 = 0.25·log(4/3).
    let value = try interp.eval("kl_div(log(float64([0.25, 0.75])), float64([0.5, 0.5]))")
    let number = try #require(value.number)
    #expect(abs(number - 0.25 * log(4.0 / 3.0)) < 1e-15)
    #expect(box.items.count == 1)
  }

  @Test func aHostCallHasNoLocation() throws {
    let (interp, box) = try collecting()
    let q = try Tensor([-1.0, -0.5] as [Float], shape: [2])
    let p = try Tensor([0.4, 0.6] as [Float], shape: [2])
    _ = try interp.call("kl_div", [.tensor(q), .tensor(p)])
    let d = try #require(box.items.first)
    #expect(d.span == nil)
    #expect(d.description == "warning: \(Self.klDivMean)")
  }

  @Test func aLoopWarnsOncePerPlace() throws {
    let (interp, box) = try collecting()
    try interp.run("for i in 0..<5 { warn(\"slow\") }\ndef f() = warn(\"inner\")\nf()\nf()\nwarn(\"slow\")\n", path: "w.loss")
    let places = box.items.map { "\($0.span?.line ?? 0):\($0.span?.column ?? 0) \($0.message)" }
    #expect(places == ["1:18 slow", "2:11 inner", "5:1 slow"])
  }

  @Test func eachSourceTextIsItsOwnPlace() throws {
    let (interp, box) = try collecting()
    try interp.run("warn(\"again\")")
    try interp.run("warn(\"again\")")
    try interp.run("warn(\"other\")")
    #expect(box.items.map(\.message) == ["again", "again", "other"])
  }

  @Test func withoutAHandlerWarningsAreDropped() throws {
    let interp = try Interpreter()
    #expect(interp.onWarning == nil)
    #expect(try interp.eval("warn(\"unheard\")\n1 + 1").number == 2)
  }

  @Test func warnRefusesANonString() throws {
    let (interp, box) = try collecting()
    let error = try #require(throws: LossLangError.self) { try interp.eval("warn(3)") }
    #expect(error.message == "warn: argument 'message' must be a string, got number")
    #expect(box.items.isEmpty)
  }

  @Test func notesAndWarningsRenderLikeErrors() throws {
    let file = SourceFile(path: "n.loss", text: "y = log(x)\n")
    let span = SourceSpan(file: file, start: 4, end: 10)
    #expect(Diagnostic(span: span, message: "m", severity: .note).description == "n.loss:1:5: note: m\ny = log(x)\n    ^~~~~~")
    #expect(Diagnostic(span: span, message: "m", severity: .warning).description.hasPrefix("n.loss:1:5: warning: m\n"))
    #expect(Diagnostic(span: span, message: "m").description.hasPrefix("n.loss:1:5: error: m\n"))
    #expect(Diagnostic(span: nil, message: "m", severity: .note).description == "note: m")
  }
}

/// Collects the diagnostics a handler receives (the handler runs on the evaluation's
/// thread while the test's waits for it).
final class WarningBox: @unchecked Sendable {
  var items: [Diagnostic] = []
}
