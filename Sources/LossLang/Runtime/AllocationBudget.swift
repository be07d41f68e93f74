import Foundation

/// The bytes of tensor storage one evaluation may still allocate (`Limits.maxTotalBytes`).
///
/// Evaluations run on their own thread (``onLargeStack``), so the budget travels with the
/// thread: `TensorStorage` charges the budget of the thread that allocates.
final class AllocationBudget: @unchecked Sendable {
  /// The limit in bytes.
  let limit: Int
  /// Bytes allocated so far.
  private(set) var used = 0

  init(limit: Int) { self.limit = limit }

  /// Records an allocation, or throws when it would exceed the limit.
  func charge(_ bytes: Int) throws {
    guard bytes <= limit - used else {
      throw LossLangError(.limitExceeded,
        "allocation limit exceeded: \(used + bytes) bytes requested in total, the limit is \(limit)")
    }
    used += bytes
  }

  /// The thread-local slot holding the current thread's budget (retained while installed;
  /// released when replaced or when the thread exits).
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
      pointer.map { Unmanaged<AllocationBudget>.fromOpaque($0).release() }
    }
    return key
  }()

  /// The budget of the evaluation running on this thread, if any.
  static var current: AllocationBudget? {
    pthread_getspecific(key).map { Unmanaged<AllocationBudget>.fromOpaque($0).takeUnretainedValue() }
  }

  /// Makes `budget` the current thread's budget.
  static func install(_ budget: AllocationBudget?) {
    let old = pthread_getspecific(key)
    pthread_setspecific(key, budget.map { Unmanaged.passRetained($0).toOpaque() })
    old.map { Unmanaged<AllocationBudget>.fromOpaque($0).release() }
  }
}
