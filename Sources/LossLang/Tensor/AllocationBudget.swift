import Foundation
import Synchronization

/// The memory one interpreter may hold at once (`Limits.maxTotalBytes`): tensor storage and
/// graph nodes, charged when allocated and credited when freed, across all its evaluations.
///
/// The interpreter installs its budget on the thread of each evaluation (``onLargeStack``);
/// `TensorStorage` and `Node` charge the budget of the thread that creates them and keep a
/// reference to it, so whatever thread frees them later credits the right interpreter.
final class AllocationBudget: Sendable {
  /// The limit in bytes.
  let limit: Int
  /// Bytes charged and not yet credited.
  private let inUse = Atomic<Int>(0)

  init(limit: Int) { self.limit = limit }

  /// Bytes in use now.
  var used: Int { inUse.load(ordering: .relaxed) }

  /// Records an allocation, or throws (recording nothing) when it would exceed the limit.
  func charge(_ bytes: Int) throws {
    let total = inUse.wrappingAdd(bytes, ordering: .relaxed).newValue
    guard total <= limit else {
      inUse.wrappingSubtract(bytes, ordering: .relaxed)
      throw exceeded(total)
    }
  }

  /// Records an allocation that cannot fail where it happens (a graph node); the next
  /// ``check()`` or ``charge(_:)`` reports the excess.
  func record(_ bytes: Int) { inUse.wrappingAdd(bytes, ordering: .relaxed) }

  /// Returns the bytes of a freed allocation.
  func credit(_ bytes: Int) { inUse.wrappingSubtract(bytes, ordering: .relaxed) }

  /// Throws if what is in use exceeds the limit.
  func check() throws {
    let total = used
    if total > limit { throw exceeded(total) }
  }

  private func exceeded(_ total: Int) -> TensorError {
    TensorError(
      "allocation limit exceeded: this interpreter would hold \(total) bytes of tensors and graph, the limit is \(limit)",
      kind: .limit)
  }

  /// The budget of the evaluation running on each thread.
  private static let slot = ThreadSlot<AllocationBudget>()

  /// The budget of the evaluation running on this thread, if any.
  static var current: AllocationBudget? { slot.current }

  /// Makes `budget` the current thread's budget.
  static func install(_ budget: AllocationBudget?) { slot.install(budget) }
}
