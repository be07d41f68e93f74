import Foundation
import Testing

@testable import LossLang

/// Runs every `Scripts/*.loss` file and checks it against its `# expect:` comments, in the
/// style of Crafting Interpreters' test suite.
///
/// - `# expect: TEXT` — the next line the script prints is exactly TEXT.
/// - `# expect error: TEXT` — the script fails with an error on this line whose message
///   contains TEXT (several allowed for syntax errors, one per line).
@Suite struct GoldenScriptTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scripts")

  static let scripts: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".loss") }.sorted()
  }()

  @Test func scriptsExist() {
    #expect(Self.scripts.count >= 10)
  }

  @Test(arguments: scripts)
  func script(_ name: String) throws {
    let path = Self.directory.appendingPathComponent(name).path
    let source = try String(contentsOfFile: path, encoding: .utf8)
    var expectedOutput: [String] = []
    var expectedErrors: [(line: Int, text: String)] = []
    for (i, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if let r = line.range(of: "# expect: ") {
        expectedOutput.append(String(line[r.upperBound...]))
      } else if let r = line.range(of: "# expect error: ") {
        expectedErrors.append((i + 1, String(line[r.upperBound...])))
      }
    }
    var printed = ""
    let interp = try Interpreter()
    interp.output = { printed += $0 }
    var failure: LossLangError?
    do { try interp.runFile(path) } catch let e as LossLangError { failure = e }
    let lines = printed.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    #expect(lines == expectedOutput, "\(name): printed output differs")
    if expectedErrors.isEmpty {
      #expect(failure == nil, "\(name): unexpected error \(failure?.description ?? "")")
    } else {
      let got = failure?.diagnostics ?? []
      #expect(got.count == expectedErrors.count, "\(name): expected \(expectedErrors.count) errors, got \(failure?.description ?? "none")")
      for (want, diag) in zip(expectedErrors, got) {
        #expect(diag.span?.line == want.line, "\(name): error expected on line \(want.line): \(diag)")
        #expect(diag.message.contains(want.text), "\(name): expected '\(want.text)' in \(diag)")
      }
    }
  }
}
