import Foundation
import Synchronization

/// Turns one object used from two threads at once into a thrown error instead of memory
/// corruption.
///
/// `Interpreter` and `CompiledLoss` are not thread-safe. Each of their evaluating entry
/// points runs inside ``run(_:)``, which takes the object's flag with an atomic
/// compare-exchange for the duration; another thread finding it taken throws
/// "… used from two threads at once". Re-entrant use proceeds: the objects in use on a
/// thread are recorded in a thread-local list, which an evaluation thread inherits from
/// the thread that started it (``inherit(_:)``), so a plugin callback calling back into
/// its interpreter works.
final class ExclusiveUse: Sendable {
  /// Whether some thread is inside ``run(_:)``.
  private let inUse = Atomic<Bool>(false)
  /// What the object is, for the message ("Interpreter", "CompiledLoss").
  private let name: String

  init(_ name: String) { self.name = name }

  /// Runs `body` with the object in use by this thread, or throws when another thread
  /// uses it.
  func run<T>(_ body: () throws -> T) throws -> T {
    guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
      guard Held.current.objects.contains(ObjectIdentifier(self)) else {
        throw LossLangError(.runtime, "\(name) used from two threads at once")
      }
      return try body()
    }
    let held = Held.current
    held.objects.append(ObjectIdentifier(self))
    defer {
      held.objects.removeLast()
      inUse.store(false, ordering: .releasing)
    }
    return try body()
  }

  /// The objects in use on the current thread, for a thread started to continue its work.
  static func heldHere() -> [ObjectIdentifier] { Held.current.objects }

  /// Makes the objects in use on the thread that started this one usable here too.
  static func inherit(_ objects: [ObjectIdentifier]) { Held.current.objects = objects }

  /// The thread-local list of objects in use (created on first use; released when the
  /// thread exits).
  private final class Held {
    var objects: [ObjectIdentifier] = []

    /// The slot holding the current thread's list (retained while the thread lives).
    private static let key: pthread_key_t = {
      var key = pthread_key_t()
      pthread_key_create(&key) { pointer in
        let object: UnsafeMutableRawPointer? = pointer  // optional on Glibc, not on Darwin
        object.map { Unmanaged<Held>.fromOpaque($0).release() }
      }
      return key
    }()

    /// The current thread's list.
    static var current: Held {
      if let pointer = pthread_getspecific(key) { return Unmanaged<Held>.fromOpaque(pointer).takeUnretainedValue() }
      let held = Held()
      pthread_setspecific(key, Unmanaged.passRetained(held).toOpaque())
      return held
    }
  }
}
