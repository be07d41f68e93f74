import CLossKernel
import Foundation
import Synchronization
import Testing

@testable import LossLang

/// Native kernels compile in the background: the runs before a kernel's library is loaded
/// use the VM (never waiting for the compiler), the runs after use the native code, with the
/// same bits; one compile per kernel however many threads run it; a failed compile leaves
/// the VM for good; a cached kernel is native on its first run; `timeit` and the wait
/// option wait for the compiles; the CLI's exit kills the compiler it does not wait for.
///
/// A compile is held back by a compiler that waits for a gate file before running clang, so
/// what ran while it compiled is known without timing anything.
@Suite(.enabled(if: clangOnPath != nil, "needs clang"), .tags(.native))
struct BackgroundCompileTests {
  /// Kernels over 300 000 elements (over `NativeKernels.defaultMinimumElements`): a loss
  /// and a gradient.
  static let source = """
    x = randn([600, 500], seed=21)
    t = rand([600, 500], seed=22)
    [sum(exp(x * 1.5) * t), grad(mean(sigmoid(x) * t - log1p(exp(-abs(x)))), [x])[0]]
    """

  /// A compiler that runs clang once the file `gate` exists (checked every 0.1 s; it goes
  /// on after a minute regardless, so a run that waited for it is slow, not stuck).
  static func gatedCompiler() throws -> (compiler: String, gate: URL) {
    let clang = try #require(clangOnPath)
    let directory = try TestScratch.subdirectory("gated-cc-")
    let gate = directory.appendingPathComponent("open"), compiler = directory.appendingPathComponent("cc")
    try """
      #!/bin/sh
      i=0
      while [ ! -e '\(gate.path)' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
      exec '\(clang)' "$@"
      """.write(to: compiler, atomically: true, encoding: .utf8)
    #expect(chmod(compiler.path, 0o700) == 0)
    return (compiler.path, gate)
  }

  /// Opens `gate`: the gated compiler's compiles go on.
  static func open(_ gate: URL) throws {
    try Data().write(to: gate)
  }

  /// The bits of every element of each value of `source` run with native code from
  /// `kernels` (nil: the VM alone), traced by an interpreter of its own and planned through
  /// `plans` (by default a cache of its own).
  static func evaluate(_ kernels: NativeKernels?, source: String = source,
                       plans: PlanCache = PlanCache(capacity: 8)) throws -> [[UInt64]] {
    var options = Interpreter.Options()
    options.nativeKernels = false
    options.planCache = plans
    let nodes = try PlanTestSupport.traceList(Interpreter(options: options), source)
    let values = try Executor.materialize(nodes, context: ExecutionContext(nativeKernels: kernels, planCache: plans))
    return values.map { t in (0..<t.count).map { t[flat: $0].bitPattern } }
  }

  /// How many kernel runs of one evaluation of `source` are large enough for native code,
  /// and how many compiles they need (kernels with the same program share one): what a
  /// fresh instance with a compiler that fails at once counts.
  static func census(of source: String = source) throws -> (runs: Int, compiles: Int) {
    let counting = NativeKernels(cache: nil, compiler: "/bin/false", minimumElements: NativeKernels.defaultMinimumElements)
    _ = try evaluate(counting, source: source)
    return (counting.runs.vm, counting.compiled)
  }

  @Test func aSlowCompileLeavesTheFirstRunsOnTheVM() throws {
    let (compiler, gate) = try Self.gatedCompiler()
    defer { try? Self.open(gate) }  // even if the test stops early: the compile queue is the process's
    let kernels = NativeKernels(
      cache: TestScratch.path("kernel-cache-"), compiler: compiler, minimumElements: NativeKernels.defaultMinimumElements)
    let vm = try Self.evaluate(nil)
    let large = try Self.census()
    try #require(large.runs > 0 && large.compiles > 0)
    // The gate is shut: nothing can be compiled yet, so these runs cannot have waited.
    let first = try Self.evaluate(kernels)
    let second = try Self.evaluate(kernels)
    #expect(kernels.runs.native == 0 && kernels.runs.vm == 2 * large.runs)
    #expect(kernels.compiled == large.compiles, "each kernel is compiled once")
    #expect(first == vm && second == vm)
    try Self.open(gate)
    #expect(kernels.waitForCompiles())
    let native = try Self.evaluate(kernels)
    #expect(kernels.runs.native == large.runs && kernels.runs.vm == 2 * large.runs, "the compiled kernels did not run")
    #expect(kernels.compiled == large.compiles)
    #expect(native == vm, "the native code gives other bits than the VM")
  }

  @Test func aRunnerTakesItsCodeOnceLoaded() throws {
    // One plan, kept: its runners move from the VM to the native code between two runs.
    let (compiler, gate) = try Self.gatedCompiler()
    defer { try? Self.open(gate) }  // even if the test stops early: the compile queue is the process's
    let kernels = NativeKernels(
      cache: TestScratch.path("kernel-cache-"), compiler: compiler, minimumElements: NativeKernels.defaultMinimumElements)
    let plans = PlanCache(capacity: 8)
    let vm = try Self.evaluate(kernels, plans: plans)
    let large = kernels.runs.vm
    try #require(large > 0 && kernels.runs.native == 0)
    try Self.open(gate)
    kernels.waitForCompiles()
    let native = try Self.evaluate(kernels, plans: plans)
    #expect(plans.count == 1, "the plan was not reused")
    #expect(kernels.runs.native == large && kernels.runs.vm == large)
    #expect(native == vm)
  }

  @Test func aFailingCompilerLeavesTheVMForGood() throws {
    let kernels = NativeKernels(
      cache: TestScratch.path("kernel-cache-"), compiler: "/bin/false", minimumElements: NativeKernels.defaultMinimumElements)
    let plans = PlanCache(capacity: 8)
    let vm = try Self.evaluate(nil)
    let first = try Self.evaluate(kernels, plans: plans)
    let large = try Self.census()
    try #require(large.compiles > 0)
    #expect(kernels.waitForCompiles())
    let later = try Self.evaluate(kernels, plans: plans)
    let fresh = try Self.evaluate(kernels)
    #expect(first == vm && later == vm && fresh == vm)
    #expect(kernels.runs.native == 0 && kernels.runs.vm == 3 * large.runs)
    #expect(kernels.compiled == large.compiles, "a failed kernel was compiled again")
  }

  @Test func aCachedKernelIsNativeOnItsFirstRun() throws {
    let cache = TestScratch.path("kernel-cache-")
    let clang = try #require(clangOnPath)
    let filler = NativeKernels(cache: cache, compiler: clang, minimumElements: NativeKernels.defaultMinimumElements)
    _ = try Self.evaluate(filler)
    #expect(filler.waitForCompiles())
    let large = try Self.census()
    try #require(large.runs > 0 && filler.compiled == large.compiles)
    // Another process's view of the same cache: loaded at once, nothing compiled.
    let next = NativeKernels(cache: cache, compiler: clang, minimumElements: NativeKernels.defaultMinimumElements)
    let native = try Self.evaluate(next)
    #expect(next.compiled == 0)
    #expect(next.runs.native == large.runs && next.runs.vm == 0)
    #expect(native == (try Self.evaluate(nil)))
  }

  @Test func threadsRunningOneKernelShareOneCompile() throws {
    let (compiler, gate) = try Self.gatedCompiler()
    defer { try? Self.open(gate) }  // even if the test stops early: the compile queue is the process's
    let kernels = NativeKernels(
      cache: TestScratch.path("kernel-cache-"), compiler: compiler, minimumElements: NativeKernels.defaultMinimumElements)
    let vm = try Self.evaluate(nil), large = try Self.census()
    // Four threads, each with its interpreter, two through one plan cache (so one set of
    // runners) and two through plan caches of their own, run while the kernels compile and after.
    let shared = PlanCache(capacity: 8)
    func runFour() -> [Result<[[UInt64]], any Error>] {
      let results = Mutex<[Result<[[UInt64]], any Error>]>([])
      DispatchQueue.concurrentPerform(iterations: 4) { i in
        let result = Result { try Self.evaluate(kernels, plans: i < 2 ? shared : PlanCache(capacity: 8)) }
        results.withLock { $0.append(result) }
      }
      return results.withLock { $0 }
    }
    let compiling = runFour()
    #expect(kernels.compiled == large.compiles, "one compile per kernel")
    #expect(kernels.runs.native == 0 && kernels.runs.vm == 4 * large.runs)
    try Self.open(gate)
    #expect(kernels.waitForCompiles())
    let compiled = runFour()
    #expect(kernels.compiled == large.compiles)
    #expect(kernels.runs.native == 4 * large.runs && kernels.runs.vm == 4 * large.runs)
    for result in compiling + compiled {
      #expect(try result.get() == vm)
    }
  }

  @Test func theSameSourceGetsTheSameKernel() throws {
    let (compiler, gate) = try Self.gatedCompiler()
    defer { try? Self.open(gate) }  // even if the test stops early: the compile queue is the process's
    let kernels = NativeKernels(cache: nil, compiler: compiler, minimumElements: 0)
    let program = KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float64)
    let first = try #require(kernels.kernel(for: program, elements: 10))
    #expect(!first.isFinished)
    #expect(kernels.kernel(for: program, elements: 10) === first)
    #expect(kernels.compiled == 1)
    try Self.open(gate)
    #expect(kernels.function(for: program, elements: 10) != nil)
    #expect(first.isFinished)
    #expect(kernels.kernel(for: program, elements: 10) === first && kernels.compiled == 1)
  }

  @Test func aWaitStopsWhenAskedWhileTheCompileGoesOn() throws {
    let (compiler, gate) = try Self.gatedCompiler()
    defer { try? Self.open(gate) }  // even if the test stops early: the compile queue is the process's
    let kernels = NativeKernels(cache: nil, compiler: compiler, minimumElements: 0)
    let program = KernelProgram.single(LK_OP_LOG, arity: 1, dtype: .float64)
    #expect(kernels.function(for: program, elements: 10, shouldStop: { true }) == nil)
    #expect(!kernels.waitForCompiles(shouldStop: { true }))
    try Self.open(gate)
    #expect(kernels.waitForCompiles())
    #expect(kernels.function(for: program, elements: 10, shouldStop: { true }) != nil, "loaded: no wait")
  }

  @Test func timeitWaitsForTheCompilesOfItsWarmUp() throws {
    var options = Interpreter.Options()
    options.kernelCompiler = clangOnPath
    options.kernelCacheDirectory = TestScratch.path("kernel-cache-")
    options.planCache = PlanCache(capacity: 8)
    let interpreter = try Interpreter(options: options)
    let kernels = try #require(interpreter.context.nativeKernels)
    try interpreter.run("x = randn([600, 500], seed=3)\ntimeit(fn() => sum(exp(x * 1.5) * x), n=3)")
    // The warm-up ran on the VM while the kernel compiled; the three timed calls native.
    #expect(kernels.runs.vm > 0 && kernels.runs.native == 3 * kernels.runs.vm)
    #expect(kernels.compiled == kernels.runs.vm)
  }

  @Test func theWaitOptionCompilesBeforeTheRun() throws {
    var options = Interpreter.Options()
    options.kernelCompiler = clangOnPath
    options.kernelCacheDirectory = TestScratch.path("kernel-cache-")
    options.planCache = PlanCache(capacity: 8)
    options.waitForNativeKernels = true
    let interpreter = try Interpreter(options: options)
    let kernels = try #require(interpreter.context.nativeKernels)
    #expect(kernels.waits)
    try interpreter.run("x = randn([600, 500], seed=4)\nsum(exp(x * 1.5) * x)")
    #expect(kernels.runs.native > 0 && kernels.runs.vm == 0)
    #expect(kernels.compiled == kernels.runs.native)
  }

  @Test func theEnvironmentNamesTheWaitOption() throws {
    let plain = InterpreterOptions()
    let wait = try plain.applyingEnvironment(["LOSSLANG_NATIVE": "wait"])
    #expect(wait.waitForNativeKernels && wait.nativeKernels)
    #expect(wait.nativeKernelMinimumElements == NativeKernels.defaultMinimumElements)
    let both = try plain.applyingEnvironment(["LOSSLANG_NATIVE": "all,wait"])
    #expect(both.waitForNativeKernels && both.nativeKernelMinimumElements == 0)
    let all = try plain.applyingEnvironment(["LOSSLANG_NATIVE": "all"])
    #expect(!all.waitForNativeKernels && all.nativeKernelMinimumElements == 0)
    #expect(try !plain.applyingEnvironment(["LOSSLANG_NATIVE": "0"]).nativeKernels)
    #expect(try !plain.applyingEnvironment([:]).waitForNativeKernels)
    #expect(try plain.applyingEnvironment(["LOSSLANG_NATIVE": ""]).nativeKernels)
  }

  @Test(.tags(.spawnsProcess)) func theCLIRefusesUnknownKernelSettings() throws {
    // A misspelt setting would otherwise run with the default and say nothing.
    let bad = [
      ("LOSSLANG_NATIVE", "al", "LOSSLANG_NATIVE takes 0, off, all or wait (or a list such as all,wait), got 'al'"),
      ("LOSSLANG_NATIVE", "all,wiat", "LOSSLANG_NATIVE takes 0, off, all or wait (or a list such as all,wait), got 'all,wiat'"),
      ("LOSSLANG_BLAS", "yes", "LOSSLANG_BLAS takes 1, on, 0 or off, got 'yes'"),
    ]
    for (name, value, message) in bad {
      let run = try runLossLang(["-e", "1"], environment: [name: value])
      #expect(run.status == 64, "\(name)=\(value)")
      #expect(run.stderr.contains(message), "\(run.stderr)")
    }
  }

  @Test(.tags(.spawnsProcess)) func theCLIDoesNotWaitAndKillsTheCompilerAtExit() throws {
    // A compiler that never finishes: the run ends on the VM, and its exit ends the compiler.
    let directory = try TestScratch.subdirectory("hung-cc-")
    let compiler = directory.appendingPathComponent("cc"), pids = directory.appendingPathComponent("pids")
    try "#!/bin/sh\necho $$ >> '\(pids.path)'\nexec sleep 120\n".write(to: compiler, atomically: true, encoding: .utf8)
    #expect(chmod(compiler.path, 0o700) == 0)
    let cache = directory.appendingPathComponent("kernels")
    // A hundred runs of large kernels (long enough for the compiler to start meanwhile).
    let source = "x = arange(0, 400000) / 400000\ns = 0\nfor i in 0..<100 { s = s + sum(exp(x) * log1p(x + i)) }\ns"
    let r = try runLossLang(["-e", source], environment: ["LOSSLANG_CC": compiler.path, "LOSSLANG_KERNEL_CACHE": cache.path])
    #expect(r.status == 0, "\(r.stderr)")
    let vm = try runLossLang(["-e", source], environment: ["LOSSLANG_NATIVE": "0"])
    #expect(r.stdout == vm.stdout && !vm.stdout.isEmpty)
    Self.expectCompilersEnded(pids: pids, cache: cache)
  }

  /// Checks that the compilers whose process ids are listed in the file `pids` (if any
  /// started) have ended, and that they left no build directory and no library in `cache`.
  static func expectCompilersEnded(pids: URL, cache: URL) {
    let started = (try? String(contentsOf: pids, encoding: .utf8)) ?? ""
    for pid in started.split(separator: "\n").compactMap({ pid_t($0) }) {
      #expect(isGone(pid), "the compiler \(pid) outlived the run")
    }
    let left = (try? FileManager.default.subpathsOfDirectory(atPath: cache.path)) ?? []
    #expect(!left.contains { $0.contains("build.") || $0.hasSuffix(".so") }, "\(left)")
  }

  /// Whether process `pid` has ended (no such process, or a zombie), checked for up to 10 s.
  static func isGone(_ pid: pid_t) -> Bool {
    for _ in 0..<100 {
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
      // The state follows the command name in parentheses.
      if let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first == "Z" { return true }
      usleep(100_000)
    }
    return false
  }
}
