import CLossKernel
import Foundation

/// The stack evaluations run on, and how deep LossLang calls may nest on it.
///
/// Every evaluation runs on a thread of its own with a ``size`` stack (``onLargeStack``).
/// Two checks keep recursion from overflowing it: nested calls are capped at
/// ``callCapacity`` whatever `Limits.maxCallDepth` says, and each call checks that more
/// than ``reserve`` bytes of the stack are left, which catches calls whose frames are
/// deeper than measured (a call inside a deeply nested expression, a sanitizer build).
enum EvaluationStack {
  /// Bytes of stack each evaluation thread gets.
  static let size = 512 << 20
  /// Bytes a call must find still free: room for the deepest builtin and the error path.
  static let reserve = 32 << 20
  /// The most nested LossLang calls the stack holds, whatever the call-depth limit.
  ///
  /// Measured (`EvaluationStackTests`) in a debug build, where frames are largest: a
  /// def with a block body, a lambda and a call back from `value_and_grad` take about
  /// 32 KB of stack each, a def with an expression body 24 KB (a release build about a
  /// tenth). 10 000 such calls use under 330 MiB of the 480 MiB above ``reserve``.
  static let callCapacity = 10_000

  /// The thread-local slot holding the lowest address a call may start above on the
  /// current thread (stored as the pointer's bit pattern; none on other threads).
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
  }()

  /// Records the current thread's stack, which started just above the caller's frame and
  /// is ``size`` bytes: calls are refused once they reach within ``reserve`` of its end.
  static func install() {
    let floor = position() - UInt(size) + UInt(reserve)
    pthread_setspecific(key, UnsafeRawPointer(bitPattern: floor))
  }

  /// Whether the current thread's stack has room for another call: false within
  /// ``reserve`` of its end (always true on a thread that did not ``install()``).
  static func hasRoom() -> Bool {
    guard let floor = pthread_getspecific(key) else { return true }
    return position() > UInt(bitPattern: floor)
  }

  /// An address just below the caller's stack frame (stacks grow down on every supported
  /// platform), taken in C: a Swift local's address may be on a sanitizer's fake stack.
  static func position() -> UInt { UInt(lk_stack_position()) }
}
