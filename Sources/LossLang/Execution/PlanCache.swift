import Synchronization

/// Plans by graph structure, shared by every interpreter in the process (like `jax.jit`'s
/// cache): materializing a structurally identical graph again (a loss on new data of the
/// same shapes) skips planning.
///
/// Bounded: when full, the oldest half is dropped.
final class PlanCache: Sendable {
  /// The process-wide cache.
  static let shared = PlanCache(capacity: 256)

  private struct State {
    var plans: [PlanKey: ExecutablePlan] = [:]
    var insertionOrder: [PlanKey] = []
  }
  private let state = Mutex(State())
  private let capacity: Int

  init(capacity: Int) { self.capacity = capacity }

  /// The plan for `live`, built (and remembered) on a miss.
  func plan(for live: LiveGraph) throws -> Plan { try executable(for: live).plan }

  /// The plan for `live` ready to run, built (and remembered) on a miss.
  func executable(for live: LiveGraph) throws -> ExecutablePlan {
    if let plan = state.withLock({ $0.plans[live.key] }) { return plan }
    let plan = ExecutablePlan(try Plan(live))
    state.withLock { s in
      if s.plans.count >= capacity {
        let dropped = s.insertionOrder.prefix(capacity / 2)
        for key in dropped { s.plans[key] = nil }
        s.insertionOrder.removeFirst(dropped.count)
      }
      if s.plans.updateValue(plan, forKey: live.key) == nil { s.insertionOrder.append(live.key) }
    }
    return plan
  }

  /// Number of cached plans.
  var count: Int { state.withLock { $0.plans.count } }
}
