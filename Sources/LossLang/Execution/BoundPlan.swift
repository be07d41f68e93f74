/// A plan bound to one graph whose input leaves take new tensors on every run: the call
/// path of ``CompiledLoss``.
///
/// What does not depend on the data is settled once: the walk of the graph, the plan, which
/// slots each input and each constant fills, and the buffers of kernel results that never
/// leave a run. A run fills the slots and runs the plan's steps as `ExecutablePlan.run` does,
/// computing exactly what it computes on the same graph.
final class BoundPlan<Graph: ExecutionGraph> {
  private let executable: ExecutablePlan
  private let graph: Graph
  /// The slots each input fills, in the order `run` receives the inputs.
  private let inputSlots: [[Int]]
  /// Slots filled with values fixed when the graph was traced (constants) or planned (literals).
  private let fixed: [(slot: Int, value: Tensor)]
  /// Per step, the outputs a kernel writes to the same tensors every run (see `KernelRunner.run`).
  private let scratch: [[Tensor?]]
  /// Values by plan slot during a run (empty between runs).
  private var slots: [Tensor?]

  /// Binds `plan` (the plan of `graph`) so that its `inputCount` inputs take new values:
  /// `input(position)` is the input the leaf at walk position `position` is, if any. The
  /// reused buffers are allocated here, charged to the budget installed on this thread.
  init(plan executable: ExecutablePlan, graph: Graph, inputCount: Int, input: (Int) -> Int?) throws {
    let plan = executable.plan
    var inputSlots = [[Int]](repeating: [], count: inputCount)
    var fixed = plan.literals
    for (slot, position) in plan.leaves {
      if let k = input(position) {
        inputSlots[k].append(slot)
      } else if let value = graph.value(at: position) {
        fixed.append((slot, value))
      } else {
        throw TensorError("internal error: a leaf of a compiled loss has no value")
      }
    }
    self.executable = executable
    self.graph = graph
    self.inputSlots = inputSlots
    self.fixed = fixed
    // A kernel result that is no root and that only kernels read never leaves a run (a
    // kernel writes new buffers), so it can live in the same buffer every run.
    var isScratch = [Bool](repeating: true, count: plan.slotCount)
    for r in plan.roots { isScratch[r] = false }
    for step in plan.steps {
      if case .primitive(_, _, _, let inputs) = step { for i in inputs { isScratch[i] = false } }
    }
    scratch = try plan.steps.map { step in
      guard case .kernel(let kernel) = step else { return [] }
      return try kernel.program.outputs.indices.map { k in
        guard k < kernel.results.count, isScratch[kernel.results[k]] else { return nil }
        let shape = kernel.resultShapes[k]
        return try kernel.program.storedOutput(k, shape: kernel.shape, resultShape: shape)
          ?? Tensor(zeros: shape, dtype: kernel.program.dtype)
      }
    }
    slots = [Tensor?](repeating: nil, count: plan.slotCount)
  }

  /// The plan's requested values with `inputs[k]` as the value of input leaf `k`, run under
  /// `context` (checked between steps; its budget charged for what the run allocates).
  func run(_ inputs: [Tensor], context: ExecutionContext) throws -> [Tensor] {
    // Work on a local array (no exclusivity checks on every access), put back empty.
    var slots: [Tensor?] = []
    swap(&slots, &self.slots)
    defer {
      for i in slots.indices { slots[i] = nil }
      swap(&slots, &self.slots)
    }
    for (k, input) in inputs.enumerated() {
      for slot in inputSlots[k] { slots[slot] = input }
    }
    for (slot, value) in fixed { slots[slot] = value }
    try context.charging { try executable.run(&slots, graph, scratch: scratch, context: context) }
    return try executable.results(slots, graph)
  }
}
