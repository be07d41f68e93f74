import Dispatch
import Synchronization

/// A cooperative stop request and wall-clock deadline for running work, safe to use from
/// any thread.
///
/// Plan runs check it between steps (a step in progress is not cut short), the evaluator on
/// calls and loop iterations, and a wait for a native kernel's compile; once raised (or past the
/// deadline), the next check throws. Runtime's `InterruptHandle` is the public face of an
/// interpreter's token.
final class CancellationToken: Sendable {
  private let raised = Atomic<Bool>(false)
  /// The uptime (nanoseconds) after which a check throws a time-limit error; 0 = none.
  private let deadline = Atomic<UInt64>(0)
  /// The time limit in seconds, for the message.
  private let limitSeconds = Atomic<UInt64>(0)

  /// A token with no pending request and no deadline.
  init() {}

  /// Asks the running work to stop at its next check.
  func cancel() { raised.store(true, ordering: .relaxed) }

  /// Whether a stop has been requested and not yet cleared.
  var isCancelled: Bool { raised.load(ordering: .relaxed) }

  /// Withdraws a pending request.
  func clear() { raised.store(false, ordering: .relaxed) }

  /// Sets (or clears, with nil) the wall-clock limit of the work about to start.
  func setTimeLimit(_ seconds: Double?) {
    guard let seconds, seconds.isFinite, seconds >= 0 else {
      deadline.store(0, ordering: .relaxed)
      return
    }
    let nanos = UInt64(min(seconds, 1e9) * 1e9)
    deadline.store(DispatchTime.now().uptimeNanoseconds &+ nanos, ordering: .relaxed)
    limitSeconds.store(seconds.bitPattern, ordering: .relaxed)
  }

  /// Throws `interrupted` if a stop has been requested, or a limit error past the deadline.
  func check() throws {
    if raised.load(ordering: .relaxed) { throw LossLangError(.runtime, "interrupted") }
    let end = deadline.load(ordering: .relaxed)
    if end != 0, DispatchTime.now().uptimeNanoseconds > end {
      let seconds = Double(bitPattern: limitSeconds.load(ordering: .relaxed))
      throw LossLangError(.limitExceeded, "time limit exceeded: the evaluation ran longer than \(seconds) s")
    }
  }

  /// Whether a check would throw now (for work that polls rather than throws).
  var shouldStop: Bool { (try? check()) == nil }
}
