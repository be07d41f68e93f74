import Foundation
import Testing

@testable import LossLang

/// Runs every example of `docs/errors.md` and checks it fails with exactly the listed kind
/// and message(s), so the catalogue stays true.
@Suite struct ErrorsCatalogueTests {
  /// One documented example: source (or a command line), the files it needs, the expected errors.
  struct Example: Sendable, CustomTestStringConvertible {
    /// The `###` heading above the example.
    let title: String
    /// LossLang source, or a `losslang …` command line when `isCommand`.
    let source: String
    let isCommand: Bool
    /// The words after `loss` in the block's info string (`maxSteps=1000`, `noFileIO`).
    let settings: [String]
    /// Files to write first: (path, content).
    let files: [(path: String, content: String)]
    /// The expected diagnostics as `kind: message` lines.
    let expected: [String]

    var testDescription: String { title }
  }

  static let catalogue = repositoryRoot.appendingPathComponent("docs/errors.md")

  static let examples: [Example] = {
    guard let text = try? String(contentsOf: catalogue, encoding: .utf8) else { return [] }
    return parse(text)
  }()

  /// The examples of the catalogue: each `loss` or `sh` block with the `error` block after it.
  static func parse(_ markdown: String) -> [Example] {
    var examples: [Example] = []
    var title = ""
    var files: [(String, String)] = []
    var pending: (info: [String], body: String)?
    var block: (info: [String], lines: [String])?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if var open = block {
        guard line == "```" else {
          open.lines.append(line)
          block = open
          continue
        }
        block = nil
        let body = open.lines.joined(separator: "\n")
        switch open.info.first {
        case "file": files.append((open.info.dropFirst().joined(separator: " "), body + "\n"))
        case "loss", "sh": pending = (open.info, body)
        case "error":
          if let source = pending {
            examples.append(Example(
              title: title, source: source.body, isCommand: source.info.first == "sh",
              settings: Array(source.info.dropFirst()), files: files, expected: open.lines))
          }
          pending = nil
          files = []
        default: break
        }
      } else if line.hasPrefix("```") {
        block = (line.dropFirst(3).split(separator: " ").map(String.init), [])
      } else if line.hasPrefix("### ") {
        title = String(line.dropFirst(4))
      }
    }
    return examples
  }

  @Test func catalogueHasExamplesOfEveryKind() {
    let kinds = Set(Self.examples.flatMap { $0.expected.map { String($0.prefix { $0 != ":" }) } })
    #expect(kinds == ["syntax", "runtime", "limit", "io", "usage"])
    #expect(Self.examples.count >= 60)
  }

  @Test(.tags(.spawnsProcess), arguments: examples)
  func example(_ example: Example) throws {
    for (path, content) in example.files {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try content.write(toFile: path, atomically: true, encoding: .utf8)
    }
    let got = example.isCommand ? try commandErrors(example.source) : try sourceErrors(example)
    #expect(got == example.expected, "\(example.title)")
  }

  /// The `kind: message` lines of the error running the example's source raises.
  private func sourceErrors(_ example: Example) throws -> [String] {
    var options = Interpreter.Options()
    for setting in example.settings {
      let parts = setting.split(separator: "=").map(String.init)
      let value = parts.count == 2 ? Double(parts[1]) : nil
      switch (parts[0], value) {
      case ("noFileIO", _): options.allowFileIO = false
      case ("maxSteps", let v?): options.limits.maxSteps = Int(v)
      case ("maxSeconds", let v?): options.limits.maxSeconds = v
      case ("maxCallDepth", let v?): options.limits.maxCallDepth = Int(v)
      case ("maxTensorElements", let v?): options.limits.maxTensorElements = Int(v)
      case ("maxTotalBytes", let v?): options.limits.maxTotalBytes = Int(v)
      default: Issue.record("\(example.title): unknown setting '\(setting)'")
      }
    }
    let interpreter = try Interpreter(options: options)
    interpreter.output = { _ in }
    do {
      try interpreter.run(example.source, path: "example.loss")
      return ["no error"]
    } catch let error as LossLangError {
      return error.diagnostics.map { "\(Self.name(of: error.kind)): \($0.message)" }
    }
  }

  /// The `kind: message` line for the first line a `losslang …` command prints on standard error.
  private func commandErrors(_ commandLine: String) throws -> [String] {
    let words = commandLine.split(separator: " ").map(String.init)
    let run = try runLossLang(Array(words.dropFirst()))
    let kinds: [Int32: String] = [64: "usage", 65: "syntax", 70: "runtime", 74: "io"]
    let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
    let message = first.range(of: "rror: ").map { String(first[$0.upperBound...]) } ?? first
    return ["\(kinds[run.status] ?? "exit \(run.status)"): \(message)"]
  }

  /// The catalogue's name for an error kind.
  private static func name(of kind: LossLangError.Kind) -> String {
    switch kind {
    case .syntax: "syntax"
    case .runtime: "runtime"
    case .limitExceeded: "limit"
    case .io: "io"
    case .usage: "usage"
    }
  }
}
