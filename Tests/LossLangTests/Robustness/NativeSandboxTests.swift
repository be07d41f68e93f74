import Foundation
import Testing

@testable import LossLang

/// The native compiler never outlives an evaluation's time limit, and a host that turns
/// file access off gets no compiler unless it opts in.
@Suite struct NativeSandboxTests {
  /// A "compiler" that hangs, which the run waits for (`LOSSLANG_NATIVE=wait`): the wait
  /// ends at the time limit and the VM runs the kernel; the exit kills the compiler.
  @Test(.tags(.native, .spawnsProcess)) func hungCompilerObeysTheTimeLimit() throws {
    let directory = try TestScratch.subdirectory("hung-cc-")
    let compiler = directory.appendingPathComponent("cc"), pids = directory.appendingPathComponent("pids")
    try "#!/bin/sh\necho $$ >> '\(pids.path)'\nexec sleep 120\n".write(to: compiler, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: compiler.path)
    let environment: [String: String?] = [
      "LOSSLANG_CC": compiler.path, "LOSSLANG_NATIVE": "all,wait",
      "LOSSLANG_KERNEL_CACHE": directory.appendingPathComponent("kernels").path,
    ]
    let start = Date()
    let r = try runLossLang(
      ["--max-seconds", "1", "-e", "sum(exp(ones(1000) * 2) + 1)"], environment: environment)
    let elapsed = Date().timeIntervalSince(start)
    #expect(elapsed < 30, "the hung compiler held the evaluation for \(elapsed) s")
    // Killed at the limit: either the VM finished the kernel or the limit was reported.
    #expect(r.status == 0 || r.stderr.contains("time limit exceeded"), "\(r.status): \(r.stderr)")
    // The exit kills the compiler still running and removes its build directory.
    BackgroundCompileTests.expectCompilersEnded(pids: pids, cache: directory.appendingPathComponent("kernels"))
  }

  @Test func fileAccessOffTurnsNativeKernelsOff() throws {
    var options = Interpreter.Options()
    options.kernelCompiler = "/usr/bin/clang"  // never started: only whether kernels would be native
    #expect(try Interpreter(options: options).context.nativeKernels != nil)
    options.allowFileIO = false
    #expect(try Interpreter(options: options).context.nativeKernels == nil)
    options.nativeKernelsWithoutFileIO = true
    #expect(try Interpreter(options: options).context.nativeKernels != nil)
  }

  @Test func withoutACompilerKernelsRunOnTheVM() throws {
    // The library reads no environment: no compiler named, none looked for on PATH.
    #expect(try Interpreter().context.nativeKernels == nil)
  }
}
