import Foundation
import Testing

/// `fit` as users see it: the built `losslang` running a script on a pseudo-terminal (the
/// bar redrawn in place with `\r`, ending with a newline; Ctrl-C ending training early and
/// the script going on) and with standard output piped (plain lines only, every `every`
/// steps). The optimizer is `sgd(lr=0.1)`.
@Suite(.tags(.spawnsProcess)) struct FitTerminalTests {
  /// A script training sum((w - 3)^2) for `steps` steps with `options`, then printing how
  /// many steps were taken and the trained w.
  static func script(steps: Int, options: String = "") throws -> URL {
    let url = TestScratch.path("fit-", suffix: ".loss")
    try """
            def loss(w) = sum((w - 3.0) ^ 2)
      r = fit(loss, float64([0.0, 1.0]), sgd(lr=0.1), steps=\(steps)\(options))
      print(f"after fit: {len(r[1])} steps")
      print(r[0])

      """.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// Starts `losslang script` (the REPL when nil) on a pseudo-terminal.
  func startOnTerminal(_ script: URL?) throws -> PseudoTerminal {
    let binary = try #require(lossLangBinary, "losslang binary not found")
    let home = try TestScratch.subdirectory("fit-home-")
    var environment = [
      "TERM": "dumb", "HOME": home.path, "LANG": "C.UTF-8", "INPUTRC": "/dev/null",
      "LOSSLANG_KERNEL_CACHE": lossLangKernelCache.path, "LOSSLANG_HISTORY": home.appendingPathComponent("history").path,
    ]
    environment["ASAN_OPTIONS"] = ProcessInfo.processInfo.environment["ASAN_OPTIONS"]
    return try PseudoTerminal(
      executable: binary.path, arguments: script.map { [$0.path] } ?? [], environment: environment,
      directory: TestScratch.directory.path)
  }

  /// Bytes of `text`.
  static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// The position of the first occurrence of `needle` in `haystack` at or after `from`.
  static func find(_ needle: String, in haystack: [UInt8], from: Int = 0) -> Int? {
    let n = bytes(needle)
    guard haystack.count >= n.count, from <= haystack.count - n.count else { return nil }
    return (from...(haystack.count - n.count)).first { Array(haystack[$0..<$0 + n.count]) == n }
  }

  @Test func onATerminalTheBarIsRedrawnInPlaceAndEndsWithANewline() throws {
    let t = try startOnTerminal(try Self.script(steps: 300))
    try t.expect("after fit: 300 steps")
    #expect(try t.waitForExit() == 0)
    let raw = t.rawOutput
    let first = try #require(Self.find("\r  0/300 |", in: raw), "the empty bar first")
    let final = try #require(Self.find("\r300/300 |████████████████████| loss ", in: raw), "the full bar last")
    let after = try #require(Self.find("after fit", in: raw))
    // Every drawing starts with \r and clears the rest of the line; no newline until the end.
    #expect(!raw[first..<final].contains(UInt8(ascii: "\n")), "the bar stays on one line")
    let tail = String(decoding: raw[final..<after], as: UTF8.self)
    #expect(tail.hasSuffix("\u{1B}[K\r\n"), "\(tail.debugDescription)")
    #expect(String(decoding: raw[first..<final], as: UTF8.self).components(separatedBy: "\u{1B}[K").count >= 2)
    #expect(!tail.contains("interrupted"))
  }

  @Test func pipedThereAreOnlyThePeriodicLines() throws {
    let r = try runLossLang([try Self.script(steps: 10, options: ", every=4").path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("\r") && !r.stdout.contains("\u{1B}"))
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 4, "\(r.stdout)")
    #expect(lines.first?.hasPrefix("step 4/10: loss ") == true && lines.dropFirst().first?.hasPrefix("step 8/10: loss ") == true)
    #expect(lines.dropFirst(2).first == "after fit: 10 steps")
    let silent = try runLossLang([try Self.script(steps: 10).path])
    #expect(silent.stdout.hasPrefix("after fit: 10 steps\n"), "without every=, nothing before the script's own output")
  }

  @Test func ctrlCEndsFitEarlyAndTheScriptGoesOn() throws {
    let total = 100_000_000
    let t = try startOnTerminal(try Self.script(steps: total))
    try t.expect("/\(total) |", timeout: 30)
    var stopped = false
    for _ in 0..<20 where !stopped {
      t.send("\u{3}")
      stopped = (try? t.expect("after fit: ", timeout: 1)) != nil
    }
    #expect(stopped, "\(t.unconsumed())")
    let rest = try t.expect(" steps\n")
    let steps = try #require(Int(rest.prefix { $0.isNumber }), "\(rest)")
    #expect(steps < total)
    #expect(try t.waitForExit() == 0)
    let raw = String(decoding: t.rawOutput, as: UTF8.self)
    #expect(raw.contains(" interrupted\u{1B}[K\r\nafter fit: "), "the bar's line is finished, marked, before the script goes on")
  }

  @Test func ctrlCInTheREPLEndsFitAndTheLineAndSessionGoOn() throws {
    let t = try startOnTerminal(nil)
    try t.expect("loss> ")
    t.send(#"r = fit(fn(w) => sum((w - 3.0) ^ 2), float64([0.0]), sgd(lr=0.1), steps=100000000); print("line goes on")"# + "\n")
    try t.expect("/100000000 |", timeout: 30)
    var stopped = false
    for _ in 0..<20 where !stopped {
      t.send("\u{3}")
      stopped = (try? t.expect("line goes on", timeout: 1)) != nil
    }
    #expect(stopped, "\(t.unconsumed())")
    try t.expect("loss> ")
    t.send("len(r[1]) > 0\n")
    #expect(try t.expect("loss> ").contains("true"))
  }
}
