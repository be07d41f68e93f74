import Foundation
import Testing

/// Warnings from the `losslang` command: on standard error, compiler-style, once per place,
/// with the exit status the run has without them.
@Suite(.tags(.spawnsProcess)) struct WarningCLITests {
  /// A script file holding `text`.
  func script(_ text: String) throws -> URL {
    let url = TestScratch.path("warn-", suffix: ".loss")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func aWarningGoesToStandardErrorAndTheRunSucceeds() throws {
    let file = try script("for i in 0..<3 {\n  l = kl_div(log([0.5, 0.5]), [0.5, 0.5])\n}\nprint(l)\n")
    let r = try runLossLang([file.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "0.0\n")
    let expected = "\(file.path):2:7: warning: \(WarningHandlerTests.klDivMean)\n"
      + "  l = kl_div(log([0.5, 0.5]), [0.5, 0.5])\n      ^" + String(repeating: "~", count: 34) + "\n"
    // Three iterations, one place: one warning.
    #expect(r.stderr == expected)
  }

  @Test func aWarningDoesNotHideTheErrorStatus() throws {
    let file = try script("warn(\"careful\")\nx = [1.0, 2.0] + [1.0, 2.0, 3.0]\n")
    let r = try runLossLang([file.path])
    #expect(r.status == 70)
    #expect(r.stderr.hasPrefix("\(file.path):1:1: warning: careful\nwarn(\"careful\")\n^" + String(repeating: "~", count: 14) + "\n"), "\(r.stderr)")
    #expect(r.stderr.contains("\(file.path):2:5: error: shapes [2] and [3] cannot be broadcast"), "\(r.stderr)")
  }

  @Test func anExpressionWarnsToo() throws {
    let r = try runLossLang(["-e", "kl_div(log([0.5, 0.5]), [0.5, 0.5], reduction=\"mean\")"])
    #expect(r.status == 0)
    #expect(r.stdout == "0.0\n")
    #expect(r.stderr.hasPrefix("-e:1:1: warning: \(WarningHandlerTests.klDivMean)\n"), "\(r.stderr)")
  }
}
