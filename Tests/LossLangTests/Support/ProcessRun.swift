import Foundation
import Testing

/// What one run of a program printed and how it ended.
struct ProcessRun {
  /// The exit status (the signal number when it was killed).
  let status: Int32
  /// Everything it wrote to standard output.
  let stdout: String
  /// Everything it wrote to standard error.
  let stderr: String
}

/// Runs `executable` with `arguments` to completion, in `directory` (default: the system's
/// temporary directory), with `stdin` as standard input and this process's environment
/// changed by `environment` (a nil value removes a variable).
///
/// Output goes to files of the test scratch directory, so a program that writes much to both
/// streams cannot block on a full pipe.
func runProcess(
  _ executable: URL, _ arguments: [String], stdin: String? = nil, directory: URL? = nil,
  environment: [String: String?] = [:]
) throws -> ProcessRun {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  var variables = ProcessInfo.processInfo.environment
  for (name, value) in environment { variables[name] = value }
  process.environment = variables
  process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
  let (outURL, errURL) = (TestScratch.path("stdout-"), TestScratch.path("stderr-"))
  FileManager.default.createFile(atPath: outURL.path, contents: nil)
  FileManager.default.createFile(atPath: errURL.path, contents: nil)
  let (out, err) = (try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
  defer {
    try? out.close()
    try? err.close()
    try? FileManager.default.removeItem(at: outURL)
    try? FileManager.default.removeItem(at: errURL)
  }
  let input = Pipe()
  (process.standardOutput, process.standardError, process.standardInput) = (out, err, input)
  try process.run()
  if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
  try input.fileHandleForWriting.close()
  process.waitUntilExit()
  return ProcessRun(
    status: process.terminationStatus,
    stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
    stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// The built `losslang` executable, next to the test bundle (`swift test` builds every
/// product) or in the repository's `.build/debug`; nil when neither exists.
let lossLangBinary: URL? = {
  let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("losslang")
  let candidates = [nextToTests, repositoryRoot.appendingPathComponent(".build/debug/losslang")]
  return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// Where the `losslang` runs of the tests cache native kernels: scratch, never the user's cache.
let lossLangKernelCache = TestScratch.path("cli-kernels-")

/// Runs the built `losslang` (see `runProcess`) with its kernel cache in scratch
/// (`lossLangKernelCache`, unless `environment` names another); the test fails when it was
/// not built.
func runLossLang(
  _ arguments: [String], stdin: String? = nil, directory: URL? = nil, environment: [String: String?] = [:]
) throws -> ProcessRun {
  let binary = try #require(lossLangBinary, "losslang binary not found")
  let variables = ["LOSSLANG_KERNEL_CACHE": lossLangKernelCache.path].merging(environment) { $1 }
  return try runProcess(binary, arguments, stdin: stdin, directory: directory, environment: variables)
}
