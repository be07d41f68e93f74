import Foundation
import Testing

/// End-to-end tests of the `losslang` executable: exit statuses, error format, `-e`,
/// standard input, `--no-prelude`, script arguments, and running from another directory.
@Suite struct CLITests {
  /// Output of one run of the tool.
  struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
  }

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The built `losslang`, next to the test bundle (`swift test` builds every product).
  static let binary: URL? = {
    let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("losslang")
    let candidates = [nextToTests, repository.appendingPathComponent(".build/debug/losslang")]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  /// Where the tool run by these tests caches native kernels.
  static let kernelCache = TestScratch.path("cli-kernels-")

  /// Runs the tool with `arguments`, `stdin`, in `directory`, with `environment` added to this process's.
  func run(_ arguments: [String], stdin: String? = nil, directory: URL? = nil,
           environment: [String: String] = [:]) throws -> Run {
    let binary = try #require(Self.binary, "losslang binary not found")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    // Native kernels are cached in scratch, never in the user's cache directory.
    process.environment = ProcessInfo.processInfo.environment
      .merging(["LOSSLANG_KERNEL_CACHE": Self.kernelCache.path]) { $1 }.merging(environment) { $1 }
    process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
               stderr: String(decoding: e, as: UTF8.self))
  }

  func script(_ text: String) throws -> URL {
    let url = TestScratch.path("cli-", suffix: ".loss")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func quickstartRunsFromAnyDirectory() throws {
    let example = Self.repository.appendingPathComponent("examples/quickstart.loss").path
    let r = try run([example], directory: URL(fileURLWithPath: "/"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("focal loss:"))
    #expect(r.stdout.contains("d loss / d logits: tensor(["))
  }

  @Test func evaluatesAnExpression() throws {
    let r = try run(["-e", "mse_loss([1.0, 2.0], [1.0, 3.0])"])
    #expect(r.status == 0)
    #expect(r.stdout == "0.5\n")
  }

  @Test func runsStandardInput() throws {
    let r = try run([], stdin: "print(mse_loss([1.0,2.0],[1.0,3.0]))\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "0.5\n")
  }

  @Test func passesScriptArguments() throws {
    let file = try script("print(args)\n")
    let r = try run([file.path, "a", "--flag"])
    #expect(r.stdout == "[\"a\", \"--flag\"]\n", "\(r.stderr)")
  }

  @Test func noPreludeHidesLosses() throws {
    let r = try run(["--no-prelude", "-e", "mse_loss([1.0], [2.0])"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("undefined name 'mse_loss'"))
  }

  @Test func syntaxErrorExits65WithCaret() throws {
    let file = try script("x = 1\ny = (2 +* 3)\n")
    let r = try run([file.path])
    #expect(r.status == 65)
    #expect(r.stderr.hasPrefix("\(file.path):2:9: error: "), "\(r.stderr)")
    #expect(r.stderr.contains("y = (2 +* 3)\n        ^"), "\(r.stderr)")
  }

  @Test func runtimeErrorExits70() throws {
    let file = try script("x = [1.0, 2.0]\ny = x + [1.0, 2.0, 3.0]\n")
    let r = try run([file.path])
    #expect(r.status == 70)
    #expect(r.stderr.hasPrefix("\(file.path):2:5: error: shapes [2] and [3] cannot be broadcast"), "\(r.stderr)")
    #expect(r.stderr.contains("y = x + [1.0, 2.0, 3.0]\n    ^~~~~~~~~~~~~~~~~~~"), "\(r.stderr)")
  }

  @Test func missingFileExits74() throws {
    let r = try run(["/nonexistent/script.loss"])
    #expect(r.status == 74)
    #expect(r.stderr.contains("cannot open '/nonexistent/script.loss'"))
  }

  @Test func corruptNpyExits74() throws {
    let bad = TestScratch.path("corrupt-", suffix: ".npy")
    try Data("\u{93}NUMPY garbage".utf8).write(to: bad)
    let r = try run(["-e", "load(\"\(bad.path)\")"])
    #expect(r.status == 74, "\(r.stderr)")
    #expect(r.stderr.contains("error: "))
  }

  @Test func usageErrorExits64() throws {
    let r = try run(["--no-such-flag"])
    #expect(r.status == 64)
  }

  @Test func recursionIsAnErrorNotACrash() throws {
    let r = try run(["-e", "{ def f(x) = f(x); f(1) }"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("recursion depth exceeded"))
  }

  @Test func absurdAllocationIsAnError() throws {
    let r = try run(["-e", "zeros(1e12)"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("cannot allocate"))
  }
}
