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

  /// Creates a handle with no pending request.
  init() {}

  /// Asks the running evaluation to stop at its next check.
  public func interrupt() { raised.store(true, ordering: .relaxed) }

  /// Whether a stop has been requested and not yet cleared.
  public var isRaised: Bool { raised.load(ordering: .relaxed) }

  /// Withdraws a pending request (done when a top-level evaluation starts).
  func clear() { raised.store(false, ordering: .relaxed) }

  /// Throws `interrupted` if a stop has been requested.
  func check() throws {
    if raised.load(ordering: .relaxed) { throw LossLangError(.runtime, "interrupted") }
  }
}
