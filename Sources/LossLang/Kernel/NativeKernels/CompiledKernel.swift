import CLossKernel
import Foundation

/// One kernel's native code as it becomes available: loaded, failed, or still compiling.
///
/// `NativeKernels` hands one out per kernel source; a kernel found in the cache is loaded
/// before it is handed out, one that must be compiled is handed out compiling and finished by
/// the background compile (`KernelCompileQueue`). Until then every run of the kernel uses
/// the VM; a runner asks ``state`` on each run (a lock, no waiting) and keeps the code once
/// it is there. The state changes once, from compiling to loaded or failed, so a kernel is
/// never seen half-loaded.
final class CompiledKernel: @unchecked Sendable {
  /// Where the kernel's native code stands.
  enum State {
    /// The compiler has not finished (or not started): the VM runs the kernel meanwhile.
    case compiling
    /// The library is loaded: its kernel function.
    case loaded(lk_native_fn)
    /// Compiling or loading failed (or was stopped): the VM runs the kernel for good.
    case failed
  }

  /// Guards `current` and wakes those waiting for it to change.
  private let condition = NSCondition()
  private var current: State

  /// A kernel in `state`.
  init(_ state: State) {
    current = state
  }

  /// The kernel's state now.
  var state: State {
    condition.lock()
    defer { condition.unlock() }
    return current
  }

  /// Whether the kernel is no longer compiling.
  var isFinished: Bool {
    if case .compiling = state { return false }
    return true
  }

  /// Ends the compile: the kernel's code is `function`, or it failed (nil). Only the first
  /// call changes the state.
  func finish(_ function: lk_native_fn?) {
    condition.lock()
    defer { condition.unlock() }
    guard case .compiling = current else { return }
    current = function.map(State.loaded) ?? .failed
    condition.broadcast()
  }

  /// The kernel's code once it is no longer compiling (nil: it failed), or nil as soon as
  /// `shouldStop` says so (checked every few milliseconds; the compile goes on).
  func wait(shouldStop: () -> Bool) -> lk_native_fn? {
    condition.lock()
    defer { condition.unlock() }
    while true {
      switch current {
      case .loaded(let function): return function
      case .failed: return nil
      case .compiling:
        if shouldStop() { return nil }
        _ = condition.wait(until: Date(timeIntervalSinceNow: 0.005))
      }
    }
  }
}
