import Foundation
import Testing

/// End-to-end tests of the `losslang` executable: exit statuses, error format, `-e`,
/// standard input, `--no-prelude`, script arguments, and running from another directory.
@Suite(.tags(.spawnsProcess)) struct CLITests {
  /// A script file holding `text`.
  func script(_ text: String) throws -> URL {
    let url = TestScratch.path("cli-", suffix: ".loss")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func quickstartRunsFromAnyDirectory() throws {
    let example = repositoryRoot.appendingPathComponent("examples/quickstart.loss").path
    let r = try runLossLang([example], directory: URL(fileURLWithPath: "/"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("focal loss:"))
    #expect(r.stdout.contains("d loss / d logits: tensor(["))
  }

  @Test func evaluatesAnExpression() throws {
    let r = try runLossLang(["-e", "mse_loss([1.0, 2.0], [1.0, 3.0])"])
    #expect(r.status == 0)
    #expect(r.stdout == "0.5\n")
  }

  @Test func runsStandardInput() throws {
    let r = try runLossLang([], stdin: "print(mse_loss([1.0,2.0],[1.0,3.0]))\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "0.5\n")
  }

  @Test func passesScriptArguments() throws {
    let file = try script("print(args)\n")
    let r = try runLossLang([file.path, "a", "--flag"])
    #expect(r.stdout == "[\"a\", \"--flag\"]\n", "\(r.stderr)")
  }

  @Test func noPreludeHidesLosses() throws {
    let r = try runLossLang(["--no-prelude", "-e", "mse_loss([1.0], [2.0])"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("undefined name 'mse_loss'"))
  }

  @Test func syntaxErrorExits65WithCaret() throws {
    let file = try script("x = 1\ny = (2 +* 3)\n")
    let r = try runLossLang([file.path])
    #expect(r.status == 65)
    #expect(r.stderr.hasPrefix("\(file.path):2:9: error: "), "\(r.stderr)")
    #expect(r.stderr.contains("y = (2 +* 3)\n        ^"), "\(r.stderr)")
  }

  @Test func runtimeErrorExits70() throws {
    let file = try script("x = [1.0, 2.0]\ny = x + [1.0, 2.0, 3.0]\n")
    let r = try runLossLang([file.path])
    #expect(r.status == 70)
    #expect(r.stderr.hasPrefix("\(file.path):2:5: error: shapes [2] and [3] cannot be broadcast"), "\(r.stderr)")
    #expect(r.stderr.contains("y = x + [1.0, 2.0, 3.0]\n    ^~~~~~~~~~~~~~~~~~~"), "\(r.stderr)")
  }

  @Test func missingFileExits74() throws {
    let r = try runLossLang(["/nonexistent/script.loss"])
    #expect(r.status == 74)
    #expect(r.stderr.contains("cannot open '/nonexistent/script.loss'"))
  }

  @Test func corruptNpyExits74() throws {
    let bad = TestScratch.path("corrupt-", suffix: ".npy")
    try Data("\u{93}NUMPY garbage".utf8).write(to: bad)
    let r = try runLossLang(["-e", "load(\"\(bad.path)\")"])
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("error: "))
  }

  @Test func usageErrorExits64() throws {
    let r = try runLossLang(["--no-such-flag"])
    #expect(r.status == 64)
  }

  @Test func recursionIsAnErrorNotACrash() throws {
    let r = try runLossLang(["-e", "{ def f(x) = f(x); f(1) }"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("recursion depth exceeded"))
  }

  @Test func absurdAllocationIsAnError() throws {
    let r = try runLossLang(["-e", "zeros(1e12)"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("cannot allocate"))
  }
}
