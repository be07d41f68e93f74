/// A live graph planned (through the plan cache) and run by the execution layer.
extension LiveGraph: ExecutionGraph {
  func value(at position: Int) -> Tensor? { order[position].value }

  func dtype(at position: Int) -> DType { order[position].dtype }

  func span(at position: Int) -> SourceSpan? { order[position].span }

  func evaluate(at position: Int, _ inputs: [Tensor]) throws -> Tensor {
    try Executor.evaluate(order[position], inputs)
  }
}

extension Plan {
  /// Plans the computation of `live`'s roots.
  init(_ live: LiveGraph) throws {
    let (nodes, roots) = try PlanBuilder.build(live)
    try self.init(nodes: nodes, roots: roots)
  }
}

extension PlanCache {
  /// The plan for `live`, built (and remembered) on a miss.
  func plan(for live: LiveGraph) throws -> Plan { try executable(for: live).plan }

  /// The plan for `live` ready to run, built (and remembered) on a miss.
  func executable(for live: LiveGraph) throws -> ExecutablePlan {
    try executable(for: live.key) { try Plan(live) }
  }
}
