import Foundation

/// A per-thread reference to one object of type `Object`: what the evaluation running on
/// this thread uses (its allocation budget, its stop request).
///
/// Evaluations run on their own thread (``onLargeStack``), so what is installed there
/// travels with the evaluation into code that has no interpreter at hand (tensor storage,
/// native kernels). The slot retains its object while installed and releases it when
/// replaced or when the thread exits.
final class ThreadSlot<Object: AnyObject>: @unchecked Sendable {
  private let key: pthread_key_t

  init() {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
      let object: UnsafeMutableRawPointer? = pointer  // optional on Glibc, not on Darwin
      object.map { Unmanaged<AnyObject>.fromOpaque($0).release() }
    }
    self.key = key
  }

  /// The object installed on this thread, if any.
  var current: Object? {
    pthread_getspecific(key).map { Unmanaged<Object>.fromOpaque($0).takeUnretainedValue() }
  }

  /// Makes `object` this thread's object.
  func install(_ object: Object?) {
    let old = pthread_getspecific(key)
    pthread_setspecific(key, object.map { Unmanaged.passRetained($0).toOpaque() })
    old.map { Unmanaged<Object>.fromOpaque($0).release() }
  }
}
