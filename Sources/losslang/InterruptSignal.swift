import Dispatch
import Foundation
import LossLang
import Synchronization

/// Ctrl-C in the REPL: a SIGINT handler that only raises an atomic flag (all it may safely
/// do), which the line editor polls while reading and a watcher forwards to the
/// interpreter while evaluating.
enum InterruptSignal {
  /// Raised by the signal handler, taken by whoever acts on it.
  static let raised = Atomic<Bool>(false)

  /// Installs the SIGINT handler (without `SA_RESTART`, so a blocking read is interrupted).
  static func install() {
    _ = take()  // initializes the flag here, never lazily inside the handler
    let handler: @convention(c) (Int32) -> Void = { _ in
      InterruptSignal.raised.store(true, ordering: .relaxed)
    }
    var action = sigaction()
    #if canImport(Glibc)
      action.__sigaction_handler.sa_handler = handler
    #elseif canImport(Darwin)
      action.__sigaction_u.__sa_handler = handler
    #endif
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
  }

  /// Whether Ctrl-C was pressed since the last call; lowers the flag.
  static func take() -> Bool { raised.exchange(false, ordering: .relaxed) }

  /// Runs `body` (an evaluation) while a watcher turns Ctrl-C into `handle.interrupt()`.
  ///
  /// A Ctrl-C pressed after the input was accepted but before the watcher started still
  /// counts; one pressed during the evaluation but too late to stop it is dropped at the end.
  static func watching<T>(_ handle: InterruptHandle, _ body: () throws -> T) rethrows -> T {
    let timer = DispatchSource.makeTimerSource(queue: .global(qos: .userInteractive))
    timer.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(20))
    timer.setEventHandler {
      if InterruptSignal.take() { handle.interrupt() }
    }
    timer.resume()
    defer {
      timer.cancel()
      _ = take()
    }
    return try body()
  }
}
