import Dispatch
import Foundation
import Synchronization

/// A cooperative stop request for an interpreter's running evaluation, safe to use from any thread.
///
/// The evaluator checks it on every function call and loop iteration, and the executor
/// between kernel operations; once raised, the next check throws the runtime error
/// `interrupted`. The request stays raised until the next top-level evaluation starts,
/// so an error handler inside the library cannot swallow it. One kernel operation in
/// progress (a large matmul, say) is not cut short: the stop happens after it.
///
/// ```swift
/// let handle = interp.interruptHandle          // Sendable: hand it to a signal watcher
/// DispatchQueue.global().asyncAfter(deadline: .now() + 1) { handle.interrupt() }
/// ```
public final class InterruptHandle: Sendable {
  private let raised = Atomic<Bool>(false)
  /// The uptime (nanoseconds) after which evaluation stops with a time-limit error; 0 = none.
  private let deadline = Atomic<UInt64>(0)
  /// The time limit in seconds, for the message.
  private let limitSeconds = Atomic<UInt64>(0)
  /// Execution settings of the owning interpreter, read by the executor.
  private let flags = Atomic<UInt8>(Flag.fusion | Flag.native)
  /// Backs `kernelDumpDirectory`.
  private let dumpDirectory = Mutex<URL?>(nil)

  /// Bits of `flags`.
  private enum Flag {
    static let fusion: UInt8 = 1
    static let checkFinite: UInt8 = 2
    static let native: UInt8 = 4
  }

  /// Whether materialization runs fused plans (`InterpreterOptions.fusion`).
  var fusionEnabled: Bool {
    get { flags.load(ordering: .relaxed) & Flag.fusion != 0 }
    set { setFlag(Flag.fusion, newValue) }
  }

  /// Whether every primitive's output is checked for NaN/Inf (`InterpreterOptions.checkFinite`).
  var checkFinite: Bool {
    get { flags.load(ordering: .relaxed) & Flag.checkFinite != 0 }
    set { setFlag(Flag.checkFinite, newValue) }
  }

  /// Whether large kernels may run as native code (`InterpreterOptions.nativeKernels`).
  var nativeKernelsEnabled: Bool {
    get { flags.load(ordering: .relaxed) & Flag.native != 0 }
    set { setFlag(Flag.native, newValue) }
  }

  /// Where native kernels' C source is written (`InterpreterOptions.kernelDumpDirectory`).
  var kernelDumpDirectory: URL? {
    get { dumpDirectory.withLock { $0 } }
    set { dumpDirectory.withLock { $0 = newValue } }
  }

  private func setFlag(_ bit: UInt8, _ on: Bool) {
    let old = flags.load(ordering: .relaxed)
    flags.store(on ? old | bit : old & ~bit, ordering: .relaxed)
  }

  /// Creates a handle with no pending request.
  init() {}

  /// Asks the running evaluation to stop at its next check.
  public func interrupt() { raised.store(true, ordering: .relaxed) }

  /// Whether a stop has been requested and not yet cleared.
  public var isRaised: Bool { raised.load(ordering: .relaxed) }

  /// Withdraws a pending request (done when a top-level evaluation starts).
  func clear() { raised.store(false, ordering: .relaxed) }

  /// Sets (or clears, with nil) the wall-clock limit of the evaluation about to start.
  func setTimeLimit(_ seconds: Double?) {
    guard let seconds, seconds.isFinite, seconds >= 0 else {
      deadline.store(0, ordering: .relaxed)
      return
    }
    let nanos = UInt64(min(seconds, 1e9) * 1e9)
    deadline.store(DispatchTime.now().uptimeNanoseconds &+ nanos, ordering: .relaxed)
    limitSeconds.store(seconds.bitPattern, ordering: .relaxed)
  }

  /// The stop request of the evaluation running on each thread.
  private static let slot = ThreadSlot<InterruptHandle>()

  /// The stop request of the evaluation running on this thread, if any (for work with no
  /// interpreter at hand, such as a native compile).
  static var current: InterruptHandle? { slot.current }

  /// Makes `handle` the current thread's stop request.
  static func install(_ handle: InterruptHandle?) { slot.install(handle) }

  /// Throws `interrupted` if a stop has been requested, or a limit error past the deadline.
  func check() throws {
    if raised.load(ordering: .relaxed) { throw LossLangError(.runtime, "interrupted") }
    let end = deadline.load(ordering: .relaxed)
    if end != 0, DispatchTime.now().uptimeNanoseconds > end {
      let seconds = Double(bitPattern: limitSeconds.load(ordering: .relaxed))
      throw LossLangError(.limitExceeded, "time limit exceeded: the evaluation ran longer than \(seconds) s")
    }
  }
}
