import Foundation
import Testing

/// Figures as users see them: the built `losslang` in the REPL on a pseudo-terminal (a line
/// that drew shows the figure after it, in colour; other lines do not), and a script's
/// `show()` on a terminal (colour) and piped (`losslang script.loss | cat`: none).
@Suite(.tags(.spawnsProcess)) struct PictureTerminalTests {
  /// The escape code that starts matplotlib's first cycle colour, `#1f77b4`.
  static let firstColour = "\u{1B}[38;2;31;119;180m"

  /// Starts `losslang` with `arguments` (the REPL when empty) on a pseudo-terminal `columns`
  /// wide and 24 rows high.
  func startOnTerminal(_ arguments: [String] = [], columns: UInt16 = 80) throws -> PseudoTerminal {
    let binary = try #require(lossLangBinary, "losslang binary not found")
    let home = try TestScratch.subdirectory("pictures-home-")
    var environment = [
      "TERM": "dumb", "HOME": home.path, "LANG": "C.UTF-8", "INPUTRC": "/dev/null",
      "LOSSLANG_KERNEL_CACHE": lossLangKernelCache.path, "LOSSLANG_HISTORY": home.appendingPathComponent("history").path,
    ]
    environment["ASAN_OPTIONS"] = ProcessInfo.processInfo.environment["ASAN_OPTIONS"]
    return try PseudoTerminal(
      executable: binary.path, arguments: arguments, environment: environment, directory: home.path, columns: columns)
  }

  /// Types one line into the REPL and waits for the next prompt; the cleaned output between.
  func enter(_ line: String, in terminal: PseudoTerminal) throws -> String {
    terminal.send(line + "\n")
    return try terminal.expect("loss> ")
  }

  /// Whether `text` holds a braille dot pattern (the text renderer's lines and points).
  static func hasBraille(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }
  }

  /// A script drawing a labelled line and showing it.
  static func script(width: String = "") throws -> URL {
    let url = TestScratch.path("show-", suffix: ".loss")
    try """
      figure(\(width))
      plot([1, 3, 2], label="rising")
      title("shown")
      show()

      """.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func theREPLShowsTheFigureAfterALineThatDrew() throws {
    let t = try startOnTerminal()
    try t.expect("loss> ")
    let drawn = try enter("plot([1, 3, 2], label=\"rising\")", in: t)
    #expect(Self.hasBraille(drawn), "\(drawn)")
    #expect(drawn.contains("rising"), "the legend")
    let quiet = try enter("x = 2", in: t)
    #expect(!Self.hasBraille(quiet), "\(quiet)")
    // The figure stays between lines: the title is added to the line drawn before.
    let titled = try enter("title(\"kept\")", in: t)
    #expect(Self.hasBraille(titled) && titled.contains("kept") && titled.contains("rising"), "\(titled)")
    // show() draws it once (no second copy after the line) and closes it.
    let shown = try enter("show()", in: t)
    #expect(shown.components(separatedBy: "kept").count == 2, "\(shown)")
    #expect(!Self.hasBraille(try enter("x + 1", in: t)))
    let raw = String(decoding: t.rawOutput, as: UTF8.self)
    #expect(raw.contains(Self.firstColour), "colours on a terminal")
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  /// The figure is as wide as the terminal: every line fits 120 columns, and some need more
  /// than the 80 used when the width is unknown.
  @Test func theREPLDrawsAsWideAsTheTerminal() throws {
    let t = try startOnTerminal(columns: 120)
    try t.expect("loss> ")
    let drawn = try enter("plot([1, 3, 2], label=\"rising\")", in: t)
    let lines = drawn.split(separator: "\n").filter { Self.hasBraille(String($0)) || $0.contains("┬") }
    #expect(!lines.isEmpty && lines.allSatisfy { $0.count <= 120 } && lines.contains { $0.count > 100 }, "\(drawn)")
  }

  @Test func aScriptOnATerminalShowsColours() throws {
    let t = try startOnTerminal([try Self.script().path])
    #expect(try t.waitForExit() == 0)
    let raw = String(decoding: t.rawOutput, as: UTF8.self)
    #expect(raw.contains(Self.firstColour), "\(raw)")
    #expect(Self.hasBraille(t.cleaned) && t.cleaned.contains("shown"))
  }

  @Test func aPipedScriptShowsNoColoursAt80Columns() throws {
    let run = try runLossLang([try Self.script().path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(Self.hasBraille(run.stdout) && run.stdout.contains("rising") && run.stdout.contains("shown"))
    #expect(!run.stdout.contains("\u{1B}"), "no escape codes when piped")
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.allSatisfy { $0.count <= 80 } && lines.contains { $0.count > 60 }, "\(run.stdout)")
  }

  @Test func aPipedScriptHonoursTheFigureWidth() throws {
    let run = try runLossLang([try Self.script(width: "width=40").path])
    #expect(run.status == 0, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n")
    #expect(!lines.isEmpty && lines.allSatisfy { $0.count <= 40 }, "\(run.stdout)")
  }

  @Test func aScriptThatDoesNotCallShowPrintsNothing() throws {
    let url = TestScratch.path("noshow-", suffix: ".loss")
    try "plot([1, 2])\ntitle(\"t\")\n".write(to: url, atomically: true, encoding: .utf8)
    let run = try runLossLang([url.path])
    #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stdout)\(run.stderr)")
  }
}
