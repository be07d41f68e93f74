import Foundation
import Testing

@testable import LossLang

/// `--lint` reports each stable rewrite applied as a note (docs/lint.md, "Rewrites"): through
/// the host's handler with severity `.note`, at the user's expression, once per place, in
/// the order of the run; never without lint, nor with rewrites off (then the naive form's
/// hazards are what `--lint` shows). The note for each rewrite kind is in `LintGoldenTests`.
@Suite struct LintRewriteNoteTests {
  /// Runs `source` as `h.loss` with `lint` and `rewrites` as given; the diagnostics delivered
  /// and the interpreter.
  func run(_ source: String, lint: Bool, rewrites: Bool = true) throws -> ([Diagnostic], Interpreter) {
    var options = Interpreter.Options()
    options.lint = lint
    options.rewrites = rewrites
    let interp = try Interpreter(options: options)
    let box = WarningBox()
    interp.onWarning = { box.items.append($0) }
    interp.output = { _ in }
    try interp.run(source, path: "h.loss")
    return (box.items, interp)
  }

  static let logSigmoidNote = "log(sigmoid(x)) computed as logsigmoid(x), which stays finite where sigmoid rounds to 0"

  @Test func aRewriteReachesTheHandlerAsANoteOncePerPlace() throws {
    let (found, _) = try run("z = [-200.0, 0.0]\nfor i in 0..<3 { print(sum(log(sigmoid(z)))) }\n", lint: true)
    let d = try #require(found.first)
    #expect(found.count == 1)
    #expect(d.severity == .note)
    #expect(d.message == Self.logSigmoidNote)
    #expect(d.span?.line == 2 && d.span?.column == 28)
    #expect(d.description.hasPrefix("h.loss:2:28: note: log(sigmoid(x))"))
  }

  @Test func withoutLintRewritesAreSilent() throws {
    let (found, interp) = try run("z = [-200.0, 0.0]\nprint(log(sigmoid(z)))\n", lint: false)
    #expect(interp.appliedRewrites.map(\.rewrite) == [.logSigmoid])
    #expect(found.isEmpty)
  }

  @Test func withRewritesOffThereIsNoNoteButTheNaiveHazard() throws {
    let (found, _) = try run("z = [-200.0, 0.0]\nprint(log(sigmoid(z)))\n", lint: true, rewrites: false)
    #expect(found.map(\.severity) == [.warning])
    #expect(found.map(\.message) == ["`log` of 0 at 1 of 2 elements gives -inf"])
  }

  /// The rewrite is applied as the formula is traced, before the statement computes
  /// anything: its note comes before the hazards met computing the statement's values.
  @Test func notesComeInTheOrderOfTheRun() throws {
    let source = "p = [0.0, 0.5]\nprint(sum(log(p)) + sum(log(sigmoid([-200.0]))))\nprint(exp([1e-8]) - 1)\n"
    let (found, _) = try run(source, lint: true)
    #expect(found.map(\.severity) == [.note, .warning, .note])
    #expect(found.map { $0.span?.line } == [2, 2, 3])
    #expect(found.first?.message == Self.logSigmoidNote)
  }

  /// A BCE written in one expression is one note; its two logs, rewritten first, are not noted.
  @Test func aHandWrittenBCEIsOneNote() throws {
    let source = "z = [-200.0, 30.0]\nt = [1.0, 0.0]\np = sigmoid(z)\nprint(mean(t * log(p) + (1 - t) * log(1 - p)))\n"
    let (found, interp) = try run(source, lint: true)
    #expect(interp.appliedRewrites.count == 3)
    #expect(found.count == 1)
    #expect(found.first?.message.hasPrefix("t * log(p) + (1 - t) * log(1 - p) with p = sigmoid(z) computed as") == true)
    #expect(found.first?.span?.column == 12)
  }

  /// A BCE whose terms are separate statements: each log is noted when its statement ends,
  /// then the BCE at the sum (docs/lint.md).
  @Test func aBCESplitOverStatementsNotesItsLogsToo() throws {
    let source = "p = sigmoid([-200.0, 30.0])\nt = [1.0, 0.0]\na = t * log(p)\nb = (1 - t) * log(1 - p)\nprint(mean(a + b))\n"
    let (found, _) = try run(source, lint: true)
    #expect(found.map { $0.span?.line } == [3, 4, 5])
    #expect(found.map { $0.message.prefix(20) } == ["log(sigmoid(x)) comp", "log(1 - sigmoid(x)) ", "t * log(p) + (1 - t)"])
  }

  /// A rewrite inside a prelude function (here a stand-in module under the prelude's
  /// directory) is noted at the user's call, as a warning raised there would be.
  @Test func aRewriteInsideThePreludeIsNotedAtTheUsersCall() throws {
    var options = Interpreter.Options()
    options.lint = true
    options.allowFileIO = false
    let interp = try Interpreter(options: options)
    interp.evaluator.stdlibModules["note_probe.loss"] = "def logp(p) {\n  log(p)\n}\n"
    let box = WarningBox()
    interp.onWarning = { box.items.append($0) }
    interp.output = { _ in }
    try interp.run("import \"note_probe.loss\"\nz = [-200.0]\nprint(logp(sigmoid(z)))\n", path: "h.loss")
    let span = try #require(interp.appliedRewrites.first?.span)
    #expect(span.line == 3 && span.column == 7)
    #expect(box.items.map(\.message) == [Self.logSigmoidNote])
    #expect(box.items.first?.span?.line == 3 && box.items.first?.span?.column == 7)
  }

  /// `--lint --no-rewrite` on the BCE fixture: no note, and the two `log`s of 0 the written
  /// form reaches (p = sigmoid(-200) is 0; 1 - sigmoid(30) is 0 in float32).
  @Test(.tags(.spawnsProcess)) func noRewriteOnTheCommandLine() throws {
    let r = try runLossLang(["--lint", "--no-rewrite", "rewrite_bce.loss"], directory: LintGoldenTests.directory)
    #expect(r.stderr == """
      rewrite_bce.loss:6:17: warning: `log` of 0 at 1 of 3 elements gives -inf
      print(-mean(t * log(p) + (1 - t) * log(1 - p)))
                      ^~~~~~
      rewrite_bce.loss:6:36: warning: `log` of 0 at 1 of 3 elements gives -inf
      print(-mean(t * log(p) + (1 - t) * log(1 - p)))
                                         ^~~~~~~~~~

      """)
  }
}
