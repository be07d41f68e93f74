import Foundation
import LossLang

/// Graphviz's `dot` program, which `:graph EXPR > FILE.svg` runs to lay out and draw a graph.
enum GraphvizDot {
  /// What to tell a user whose machine has no `dot`.
  static let installHint =
    "Graphviz's 'dot' was not found on PATH; install Graphviz (Debian and Ubuntu: sudo apt install graphviz; macOS: brew install graphviz) or write the graph as '> FILE.dot'"

  /// The path of the `dot` executable on `PATH` (or, without one, the shell's default
  /// search path), nil when there is none.
  static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").lazy
      .map { String($0) + "/dot" }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Renders the DOT text `source` as SVG into the file `target` with the program at
  /// `executable`; throws with dot's own message when it fails.
  static func writeSVG(_ source: String, to target: String, using executable: String) throws {
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("losslang-graph-\(UUID().uuidString).dot")
    defer { try? FileManager.default.removeItem(at: input) }
    let process = Process()
    let errors = Pipe()
    do {
      try source.write(to: input, atomically: false, encoding: .utf8)
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = ["-Tsvg", "-o", target, input.path]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = errors
      try process.run()
    } catch {
      throw LossLangError(.io, "cannot run '\(executable)': \(error.localizedDescription)")
    }
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let reason = message.split(separator: "\n").first.map(String.init) ?? "exit status \(process.terminationStatus)"
      throw LossLangError(.io, "cannot write '\(target)': dot failed: \(reason)")
    }
  }
}
