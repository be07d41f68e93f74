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

  /// The plan of the graphs with structure `key` ready to run; on a miss, `build` plans it
  /// and the plan is remembered.
  func executable(for key: PlanKey, build: () throws -> Plan) throws -> ExecutablePlan {
    if let plan = state.withLock({ $0.plans[key] }) { return plan }
    let plan = ExecutablePlan(try build())
    state.withLock { s in
      if s.plans.count >= capacity {
        let dropped = s.insertionOrder.prefix(capacity / 2)
        for key in dropped { s.plans[key] = nil }
        s.insertionOrder.removeFirst(dropped.count)
      }
      if s.plans.updateValue(plan, forKey: key) == nil { s.insertionOrder.append(key) }
    }
    return plan
  }

  /// Number of cached plans.
  var count: Int { state.withLock { $0.plans.count } }
}
