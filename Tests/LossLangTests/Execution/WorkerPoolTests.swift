import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The worker pool (`pool.c`): a large kernel call is split into parts of a fixed size,
/// whatever the thread count, and their sums are combined in part order, so 1 to 16 threads
/// give the same bits; the pool starts its threads once, not per call; `Options.threads`
/// and the CLI's `LOSSLANG_THREADS` set the limit.
///
/// Serialized: the thread-count test reads a process-wide counter that only this suite's
/// requests for more threads than the cores can move.
@Suite("Worker pool", .serialized)
struct WorkerPoolTests {
  /// The thread counts compared with one thread (this machine may have fewer cores).
  static let threadCounts = [2, 3, 4, 7, 8, 16]

  /// Each tensor of `value` (a tensor or a list of them) as its shape and the bit patterns of
  /// its elements (float32 widened to double exactly).
  static func bits(_ value: Value) throws -> [([Int], [UInt64])] {
    switch value {
    case .tensor(let t): return [(t.shape, t.scalars.map(\.bitPattern))]
    case .list(let items): return try items.flatMap(bits)
    default: throw TensorError("not a tensor or a list of tensors: \(value)")
    }
  }

  /// An interpreter limited to `threads` (nil: the default) with the inputs of the
  /// programs bound: x (1000 x 700) and w (700 x 1000, float64) from randn-like values,
  /// logits (3000 x 257) and labels (3000 class indices).
  static func interpreter(threads: Int?) throws -> Interpreter {
    var options = Interpreter.Options()
    options.threads = threads
    let interp = try Interpreter(options: options)
    interp.bind("x", try tensor([1000, 700], .float32, seed: 11, scale: 3))
    interp.bind("w", try tensor([700, 1000], .float64, seed: 12, scale: 3))
    interp.bind("logits", try tensor([3000, 257], .float32, seed: 13, scale: 4))
    let labels = SeededGenerator.values(3000, 0, 257, seed: 14).map { $0.rounded(.down) }
    interp.bind("labels", try Tensor(labels, shape: [3000]))
    return interp
  }

  /// The output modes of the fused kernels `source`'s plan runs (in row chains included),
  /// and whether it has a row chain.
  static func plan(_ source: String) throws -> (modes: Set<UInt8>, chained: Bool) {
    let live = LiveGraph(roots: try PlanTestSupport.traceList(try interpreter(threads: nil), source))
    let plan = try Plan(live)
    let modes = PlanTestSupport.kernels(plan).flatMap { $0.program.outputs.map(\.mode) }
    let chained = plan.steps.contains { if case .chain = $0 { true } else { false } }
    return (Set(modes), chained)
  }

  /// Programs over 256 Ki elements or more (split into parts), with what their plans must run.
  static let programs: [(name: String, source: String, modes: [lk_output_mode], chained: Bool)] = [
    ("full sums", "[sum(exp(x) * x), mean(sigmoid(x) - x), x * 2 + 1]", [LK_SUM, LK_STORE], false),
    ("row sums", "sum(exp(w - 1) * w, axis=1)", [LK_ROWSUM], false),
    ("row maxima", "max(w * 2 - 1, axis=1)", [LK_ROWMAX], false),
    ("cross-entropy row chain", """
      loss = cross_entropy(logits, labels, label_smoothing=0.1)
      [loss, grad(loss, logits)]
      """, [LK_ROWSUMEXP, LK_ROWMAX, LK_ROWSUMSHIFT], true),
  ]

  @Test(.tags(.slow)) func fusedKernelsGiveTheSameBitsOnAnyThreadCount() throws {
    for program in Self.programs {
      let (modes, chained) = try Self.plan(program.source)
      for mode in program.modes {
        #expect(modes.contains(UInt8(mode.rawValue)), "\(program.name): no kernel output of mode \(mode.rawValue)")
      }
      #expect(chained == program.chained, "\(program.name)")
    }
    let one = try Self.interpreter(threads: 1)
    let want = try Self.programs.map { try Self.bits(one.run($0.source)) }
    for threads in Self.threadCounts {
      let interp = try Self.interpreter(threads: threads)
      for (program, want) in zip(Self.programs, want) {
        let got = try Self.bits(interp.run(program.source))
        #expect(got.map(\.0) == want.map(\.0))
        #expect(got.map(\.1) == want.map(\.1), "\(program.name) on \(threads) threads")
      }
    }
  }

  /// `body` run with the kernel calls on this thread limited to `threads`.
  static func limited<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
    try ExecutionContext(threads: threads).charging(body)
  }

  /// A tensor of `shape` with values in [-scale, scale] from `seed`.
  static func tensor(_ shape: [Int], _ dtype: DType, seed: UInt64, scale: Double = 1) throws -> Tensor {
    try Tensor(SeededGenerator.values(shape.reduce(1, *), -scale, scale, seed: seed), shape: shape, dtype: dtype)
  }

  @Test(arguments: KT.floatTypes)
  func transposesAreTheSameOnAnyThreadCount(dtype: DType) throws {
    // 3 matrices of 700 x 300: parts of whole 32-row blocks, some spanning two matrices.
    let shape = [3, 700, 300]
    let x = try Self.tensor(shape, dtype, seed: 21)
    let want = TransposeTests.reference(x.scalars, shape, [0, 2, 1])
    for threads in [1] + Self.threadCounts {
      let y = try Self.limited(threads) { try x.permuted([0, 2, 1]) }
      #expect(y.shape == [3, 300, 700])
      #expect(y.scalars == want, "\(threads) threads")
    }
  }

  /// Products split by rows (taller than wide), by columns (wider than tall) and by batch
  /// items (many small ones): (batch, n, k, m).
  static let products = [(1, 300, 257, 190), (1, 120, 300, 700), (64, 40, 40, 40)]

  @Test(arguments: KT.floatTypes)
  func matrixProductsAreTheSameOnAnyThreadCount(dtype: DType) throws {
    for (batch, n, k, m) in Self.products {
      let a = try Self.tensor([batch, n, k], dtype, seed: 31), b = try Self.tensor([batch, k, m], dtype, seed: 32)
      let one = try Self.limited(1) { try Tensor.matmul(a, b) }.scalars.map(\.bitPattern)
      for threads in Self.threadCounts {
        let many = try Self.limited(threads) { try Tensor.matmul(a, b) }.scalars.map(\.bitPattern)
        #expect(many == one, "\(batch) x \(n) x \(k) x \(m) on \(threads) threads")
      }
    }
  }

  @Test func threadsAreStartedOnceNotPerCall() throws {
    let x = try Self.tensor([1024, 1024], .float32, seed: 41)
    // The first calls asking for 16 threads start 15 workers (a call made while another
    // test's call holds the pool runs alone and starts none, so try a few times).
    for _ in 0..<50 where lk_pool_threads_started() < 15 {
      _ = try Self.limited(16) { try x.unary(.exp) }
    }
    let started = lk_pool_threads_started()
    try #require(started >= 15, "the pool never started its workers")
    for threads in [16, 2, 7, 1, 16] {
      for _ in 0..<20 { _ = try Self.limited(threads) { try x.unary(.exp) } }
    }
    #expect(lk_pool_threads_started() == started, "kernel calls started threads")
  }

  @Test func theThreadLimitIsValidated() throws {
    for bad in [0, -1, Interpreter.Options.maxThreads + 1] {
      var options = Interpreter.Options()
      options.threads = bad
      #expect(throws: LossLangError.self) { try Interpreter(options: options) }
    }
    let set = try Interpreter.Options().applyingEnvironment(["LOSSLANG_THREADS": "3"])
    #expect(set.threads == 3)
    #expect(try Interpreter.Options().applyingEnvironment(["LOSSLANG_THREADS": ""]).threads == nil)
    #expect(try Interpreter.Options().applyingEnvironment([:]).threads == nil)
  }

  @Test(.tags(.spawnsProcess))
  func theCommandTakesItsLimitFromTheEnvironment() throws {
    let source = """
      x = randn([600, 500], seed=5)
      print(sum(exp(x) * x))
      print(max(sum(x, axis=1)))
      """
    let one = try runLossLang([], stdin: source, environment: ["LOSSLANG_THREADS": "1"])
    #expect(one.status == 0, "\(one.stderr)")
    let many = try runLossLang([], stdin: source, environment: ["LOSSLANG_THREADS": "5"])
    #expect(many.status == 0, "\(many.stderr)")
    #expect(many.stdout == one.stdout)
    for bad in ["0", "many", "2.5", "-3", "257"] {
      let run = try runLossLang(["-e", "1"], environment: ["LOSSLANG_THREADS": bad])
      #expect(run.status == 64, "LOSSLANG_THREADS=\(bad)")
      #expect(
        run.stderr.contains("LOSSLANG_THREADS must be a whole number from 1 to 256, got '\(bad)'"),
        "\(run.stderr)")
    }
  }

  /// glibc's `sched_getaffinity` or `sched_setaffinity` (which Swift's Glibc does not import),
  /// on a 1024-CPU mask.
  typealias Affinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32

  /// The calling thread's affinity mask, through `name` (`sched_getaffinity`/`sched_setaffinity`).
  static func affinity(_ name: String, _ mask: inout [UInt8]) throws -> Int32 {
    let call = unsafeBitCast(try #require(dlsym(nil, name)), to: Affinity.self)
    return mask.withUnsafeMutableBytes { call(0, $0.count, $0.baseAddress) }
  }

  @Test func theCoresPresentAreTheCallersAffinityMask() throws {
    var mask = [UInt8](repeating: 0, count: 128)
    try #require(try Self.affinity("sched_getaffinity", &mask) == 0)
    let allowed = mask.reduce(0) { $0 + $1.nonzeroBitCount }
    #expect(Int(lk_cores()) == min(allowed, Int(LK_MAX_THREADS)))
    // A thread allowed only the first of those CPUs (as `taskset -c` allows) has one core.
    let byte = try #require(mask.firstIndex { $0 != 0 })
    let lowest = mask[byte] & (~mask[byte] &+ 1)
    /// What the thread found: set its mask's status, then its cores.
    final class Found: @unchecked Sendable { var status: Int32 = -1, cores: Int32 = 0 }
    let found = Found()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      var one = [UInt8](repeating: 0, count: 128)
      one[byte] = lowest
      found.status = (try? Self.affinity("sched_setaffinity", &one)) ?? -1
      found.cores = lk_cores()
      done.signal()
    }
    thread.start()
    done.wait()
    try #require(found.status == 0)
    #expect(found.cores == 1)
  }
}
