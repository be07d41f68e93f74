/// A cooperative stop request for an interpreter's running evaluation, safe to use from any thread.
///
/// The evaluator checks it on every function call and loop iteration, and the executor
/// between kernel operations; once raised, the next check throws the runtime error
/// `interrupted`. The request stays raised until the next top-level evaluation starts,
/// so an error handler inside the library cannot swallow it (a ``CompiledLoss`` call that
/// it stops withdraws it). One kernel operation in progress (a large matmul, say) is not
/// cut short: the stop happens after it.
///
/// ```swift
/// let handle = interp.interruptHandle          // Sendable: hand it to a signal watcher
/// DispatchQueue.global().asyncAfter(deadline: .now() + 1) { handle.interrupt() }
/// ```
public final class InterruptHandle: Sendable {
  /// The token the interpreter's execution context checks.
  let cancellation: CancellationToken

  /// Creates a handle with no pending request.
  init() { cancellation = CancellationToken() }

  /// Asks the running evaluation to stop at its next check.
  public func interrupt() { cancellation.cancel() }

  /// Whether a stop has been requested and not yet cleared.
  public var isRaised: Bool { cancellation.isCancelled }

  /// Withdraws a pending request (done when a top-level evaluation starts).
  func clear() { cancellation.clear() }

  /// Sets (or clears, with nil) the wall-clock limit of the evaluation about to start.
  func setTimeLimit(_ seconds: Double?) { cancellation.setTimeLimit(seconds) }

  /// Throws `interrupted` if a stop has been requested, or a limit error past the deadline.
  func check() throws { try cancellation.check() }
}
