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

  /// The key under which an evaluation thread keeps its budget.
  private static let key = "losslang.allocationBudget"

  /// The budget of the evaluation running on this thread, if any.
  static var current: AllocationBudget? { Thread.current.threadDictionary[key] as? AllocationBudget }

  /// Makes `budget` the current thread's budget.
  static func install(_ budget: AllocationBudget?) {
    Thread.current.threadDictionary[key] = budget
  }
}
