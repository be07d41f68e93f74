/// A plan made ready to run many times: what `PlanCache` holds, `Executor` runs and
/// `BoundPlan` binds.
///
/// Its kernel steps are boxed once (`KernelRunner`), so a run reads each step through one
/// reference.
final class ExecutablePlan: @unchecked Sendable {
  /// The plan.
  let plan: Plan
  /// The runners of every kernel, in kernel steps and chains, in order.
  var runners: [KernelRunner] {
    plan.steps.indices.flatMap { k -> [KernelRunner] in
      if let kernel = kernels[k] { return [kernel] }
      if case .chain(let chain) = plan.steps[k] { return chain.runners }
      return []
    }
  }
  /// Step `k`'s kernel, if it is a kernel step.
  private let kernels: [KernelRunner?]

  init(_ plan: Plan) {
    self.plan = plan
    kernels = plan.steps.map { step in
      if case .kernel(let k) = step { return KernelRunner(k) }
      return nil
    }
  }

  /// Runs the plan on a graph with this plan's key under `context`.
  func run<Graph: ExecutionGraph>(_ graph: Graph, context: ExecutionContext) throws -> [Tensor] {
    var slots = [Tensor?](repeating: nil, count: plan.slotCount)
    for (slot, position) in plan.leaves { slots[slot] = graph.value(at: position) }
    for (slot, value) in plan.literals { slots[slot] = value }
    try run(&slots, graph, scratch: [], context: context)
    return try results(slots, graph)
  }

  /// The requested values in filled `slots`, each tagged with its graph node's dtype: a
  /// plan computes bool values as the float32 0/1 they are stored as.
  func results<Graph: ExecutionGraph>(_ slots: [Tensor?], _ graph: Graph) throws -> [Tensor] {
    let roots = graph.roots
    var values: [Tensor] = []
    values.reserveCapacity(plan.roots.count)
    for (k, slot) in plan.roots.enumerated() where k < roots.count {
      let value = try Plan.value(slots, slot)
      values.append(roots[k] >= 0 ? value.retagged(graph.dtype(at: roots[k])) : value)
    }
    return values
  }

  /// Runs the steps on `slots`, whose leaf and literal slots are filled, releasing every
  /// value after its last use. `scratch[k]` (if any) holds the reused outputs of kernel
  /// step `k` (see `KernelRunner.run`). Checks `context.cancellation` before each step;
  /// large kernels run as native code from `context.nativeKernels`, if any.
  func run<Graph: ExecutionGraph>(
    _ slots: inout [Tensor?], _ graph: Graph, scratch: [[Tensor?]], context: ExecutionContext
  ) throws {
    let cancellation = context.cancellation
    for k in kernels.indices {
      try cancellation.check()
      if let kernel = kernels[k] {
        try located(kernel.step.source, graph) { try kernel.run(&slots, scratch: k < scratch.count ? scratch[k] : [], context: context) }
      } else if case .chain(let chain) = plan.steps[k] {
        try located(chain.kernels.first?.source, graph) { try chain.run(&slots, context: context) }
      } else if case .primitive(let node, let source, let standIn, let inputs) = plan.steps[k] {
        let args = try inputs.map { try Plan.value(slots, $0) }
        slots[node] = try located(source, graph) {
          if let source { return try graph.evaluate(at: source, args) }
          guard let standIn else { throw TensorError("internal error: a primitive without a node") }
          return try standIn.evaluate(args)
        }
      }
      for slot in plan.releases[k] { slots[slot] = nil }
    }
  }

  /// Runs `body`, attaching the span of the graph's node `source` to a tensor error.
  private func located<T, Graph: ExecutionGraph>(_ source: Int?, _ graph: Graph, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as TensorError {
      throw LocatedTensorError(error: error, span: source.flatMap { graph.span(at: $0) })
    }
  }
}
