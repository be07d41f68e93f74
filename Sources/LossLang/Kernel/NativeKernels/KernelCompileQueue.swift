import Foundation

/// The process's native-kernel compiles: run one at a time on a background queue, each
/// compiler killed past its time limit or when the process exits.
///
/// An evaluation never waits for a compile unless it asks to: `NativeKernels` queues it
/// here and the VM runs the kernel meanwhile. Compiles run one after another, in the order
/// asked, so that at most one core compiles while the VM's threads run. The compiler runs
/// in a process group of its own (Foundation's `Process` makes one), which a kill ends whole,
/// clang's linker included.
///
/// When the process exits (an exit handler, installed with the first compile), no compile
/// starts any more, the compiler running is killed, and the exit waits (at most
/// ``exitWait`` seconds) for the compile under way to clean up after itself: its build
/// directory removed, or a library that finished just before published whole. Past that
/// wait the build directory may remain, as after a crash; it is never read.
enum KernelCompileQueue {
  /// The serial queue compiles run on.
  private static let queue = DispatchQueue(label: "losslang.native-kernels.compile", qos: .utility)

  /// The longest the process's exit waits for the compile under way to clean up.
  static let exitWait: Double = 2

  /// What the queue is doing: guarded by its condition, signalled when a compile ends.
  private final class State: @unchecked Sendable {
    let condition = NSCondition()
    /// Whether the process is exiting: no compile or compiler starts.
    var exiting = false
    /// Whether a compile is under way.
    var active = false
    /// The process group of the compiler running, if one is.
    var compiler: pid_t?
  }
  private static let state = State()

  /// Registers ``exit()`` to run at exit (once, on first use).
  private static let exitHandler: Void = {
    atexit { KernelCompileQueue.exit() }
  }()

  /// Runs `compile` on the queue after the compiles queued before it, unless the process
  /// is exiting by then.
  static func enqueue(_ compile: @escaping @Sendable () -> Void) {
    _ = exitHandler
    queue.async {
      guard update({ state in
        guard !state.exiting else { return false }
        state.active = true
        return true
      }) else { return }
      defer { update { $0.active = false } }
      compile()
    }
  }

  /// Runs the compiler `process` to its end, or kills it past `timeout` seconds or when
  /// the process exits; whether it succeeded. False at once when the process is exiting.
  static func run(_ process: Process, timeout: Double) -> Bool {
    let pid: pid_t? = update { state in
      guard !state.exiting, (try? process.run()) != nil else { return nil }
      state.compiler = process.processIdentifier
      return process.processIdentifier
    }
    guard let pid else { return false }
    defer { update { $0.compiler = nil } }
    let end = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
    while process.isRunning {
      if DispatchTime.now().uptimeNanoseconds > end {
        kill(-pid, SIGKILL)
        process.waitUntilExit()
        return false
      }
      usleep(2_000)
    }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  /// Runs `body` on the state under its lock, then wakes whoever waits for it to change.
  @discardableResult
  private static func update<T>(_ body: (State) -> T) -> T {
    state.condition.lock()
    defer {
      state.condition.broadcast()
      state.condition.unlock()
    }
    return body(state)
  }

  /// At exit: stops compiles from starting, kills the compiler running, and waits (at most
  /// ``exitWait`` seconds) for the compile under way to end.
  private static func exit() {
    state.condition.lock()
    defer { state.condition.unlock() }
    state.exiting = true
    if let compiler = state.compiler { kill(-compiler, SIGKILL) }
    let end = Date(timeIntervalSinceNow: exitWait)
    while state.active, state.condition.wait(until: end) {}
  }
}
