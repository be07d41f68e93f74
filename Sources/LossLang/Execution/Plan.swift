/// How to compute the requested nodes of one graph structure: simplified, partitioned
/// into fused kernels, lowered to tile-VM programs, with buffers freed by liveness.
///
/// The runnable format: the planner (`Plan+Planning.swift`) makes it, `ExecutablePlan`
/// runs it. A plan refers to the graph it computes only by walk position (an
/// `ExecutionGraph`), so it runs unchanged on any graph with the same `PlanKey`: same
/// structure, shapes and dtypes, new data.
struct Plan: @unchecked Sendable {
  /// One unit of execution.
  enum Step {
    /// A fused pass.
    case kernel(KernelStep)
    /// Fused passes over the same rows, run block of rows by block.
    case chain(RowChain)
    /// A primitive computed into plan node `node`: by the graph, on its node at walk
    /// position `source`, or as `standIn` for a node a rewrite made.
    case primitive(node: Int, source: Int?, standIn: StandIn?, inputs: [Int])
  }

  /// A primitive a rewrite made, which no node of the graph computes.
  enum StandIn {
    /// A reduction of the one input over `axes`.
    case reduce(ReduceOp, axes: [Int], keepdims: Bool)
    /// The sum over `axes` of `exp(x - m)`, `m` the maximum of the one input `x` over them.
    case sumExpShifted(axes: [Int], keepdims: Bool)
    /// The one input's elements in `shape` (a view when the input is contiguous).
    case reshape([Int])

    /// The primitive's value on computed inputs.
    func evaluate(_ inputs: [Tensor]) throws -> Tensor {
      guard let x = inputs.first else { throw TensorError("internal error: a reduction without an input") }
      switch self {
      case .reduce(let op, let axes, let keepdims):
        return try x.reduced(op, axes: axes, keepdims: keepdims)
      case .sumExpShifted(let axes, let keepdims):
        let shifted = try Tensor.binary(.sub, x, x.reduced(.max, axes: axes, keepdims: true))
        return try shifted.unary(.exp).reduced(.sum, axes: axes, keepdims: keepdims)
      case .reshape(let shape):
        return try x.reshaped(shape)
      }
    }
  }

  /// Number of value slots (one per plan node).
  let slotCount: Int
  /// Slots filled from live values before the first step: (slot, walk position).
  let leaves: [(slot: Int, position: Int)]
  /// Slots filled with constants folded while planning.
  let literals: [(slot: Int, value: Tensor)]
  /// The steps, in order.
  let steps: [Step]
  /// Slots no later step reads, released after each step.
  let releases: [[Int]]
  /// The slot holding each requested value.
  let roots: [Int]
  /// Operands, steps and list entries the partition and row chaining examined: linear in
  /// the graph's size, a cost measure tests can check without timing.
  let visits: Int

  /// The value in `slot`.
  static func value(_ slots: [Tensor?], _ slot: Int) throws -> Tensor {
    guard let v = slots[slot] else { throw TensorError("internal error: a planned value was not computed") }
    return v
  }
}

extension Plan.Step {
  /// The slots this step reads.
  var reads: [Int] {
    switch self {
    case .kernel(let k): k.operands
    case .chain(let c): c.kernels.flatMap(\.operands) + c.views.map(\.input)
    case .primitive(_, _, _, let inputs): inputs
    }
  }
}
