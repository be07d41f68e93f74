import CLossKernel

/// How to compute the requested nodes of one graph structure: simplified, partitioned
/// into fused kernels, lowered to tile-VM programs, with buffers freed by liveness.
///
/// A plan refers to the live graph only by walk position (`LiveGraph.order`), so it runs
/// unchanged on any graph with the same `PlanKey`: same structure, shapes and dtypes,
/// new data.
struct Plan: @unchecked Sendable {
  /// One unit of execution.
  enum Step {
    /// A fused pass.
    case kernel(KernelStep)
    /// Fused passes over the same rows, run block of rows by block.
    case chain(RowChain)
    /// A primitive computed by `Executor.evaluate` into plan node `node`: on live node
    /// `source`, or on `standIn` for a node a rewrite made (its op is all it needs).
    case primitive(node: Int, source: Int?, standIn: Node?, inputs: [Int])
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

  /// Plans the computation of `live`'s roots.
  init(_ live: LiveGraph) throws {
    let (nodes, roots) = try PlanBuilder.build(live)
    guard roots.allSatisfy({ $0 >= 0 }) else { throw TensorError("internal error: a requested node is not planned") }
    let partition = FusionPartition(nodes: nodes, roots: roots)
    var isRoot = [Bool](repeating: false, count: nodes.count)
    for r in roots { isRoot[r] = true }
    let lowering = KernelLowering(nodes: nodes, consumers: partition.consumers)
    var steps: [Step] = []
    for group in partition.groups {
      switch group {
      case .kernel(let members, let sums, let stores):
        steps += try lowering.lower(members: members, sums: sums, stores: Set(stores)).map { .kernel($0) }
      case .primitive(let i):
        var standIn: Node?
        if nodes[i].source == nil {
          guard case .primitive(let op) = nodes[i].op else { throw TensorError("internal error: a primitive without an op") }
          standIn = Node(op: op, inputs: [], shape: nodes[i].shape, dtype: nodes[i].dtype, span: nil)
        }
        steps.append(.primitive(node: i, source: nodes[i].source, standIn: standIn, inputs: nodes[i].inputs))
      }
    }
    steps = RowChain.group(steps) { node in
      if case .primitive(.reshape) = nodes[node].op { return nodes[node].shape }
      return nil
    }
    var leaves: [(slot: Int, position: Int)] = []
    var literals: [(slot: Int, value: Tensor)] = []
    for i in nodes.indices where partition.isLive[i] {
      switch nodes[i].op {
      case .leaf(let position): leaves.append((i, position))
      case .literal(let t): literals.append((i, t))
      default: break
      }
    }
    var lastRead = [Int](repeating: -1, count: nodes.count)
    for (k, step) in steps.enumerated() {
      for slot in step.reads { lastRead[slot] = k }
    }
    var releases = [[Int]](repeating: [], count: steps.count)
    for slot in nodes.indices where lastRead[slot] >= 0 && !isRoot[slot] { releases[lastRead[slot]].append(slot) }
    self.slotCount = nodes.count
    self.leaves = leaves
    self.literals = literals
    self.steps = steps
    self.releases = releases
    self.roots = roots
  }

  /// Runs the plan on a live graph with this plan's key; checks `interruption` between steps.
  func run(_ live: LiveGraph, interruption: InterruptHandle?) throws -> [Tensor] {
    var slots = [Tensor?](repeating: nil, count: slotCount)
    for (slot, position) in leaves { slots[slot] = live.order[position].value }
    for (slot, value) in literals { slots[slot] = value }
    func value(_ slot: Int) throws -> Tensor {
      guard let v = slots[slot] else { throw TensorError("internal error: a planned value was not computed") }
      return v
    }
    for (k, step) in steps.enumerated() {
      try interruption?.check()
      switch step {
      case .kernel(let kernel):
        let operands = try kernel.operands.indices.map { i in
          KernelOperand(try value(kernel.operands[i]), strides: kernel.strides[i])
        }
        let (stored, sums) = try located(kernel.source, live) { try kernel.program.run(shape: kernel.shape, operands: operands) }
        var next = 0
        for (i, result) in kernel.results.enumerated() where i < kernel.program.outputs.count {
          if kernel.program.outputs[i].mode == UInt8(LK_SUM.rawValue) {
            slots[result] = try Tensor([sums[i]], shape: kernel.resultShapes[i], dtype: kernel.program.dtype)
          } else {
            let value = stored[next]
            slots[result] = value.shape == kernel.resultShapes[i] ? value : try value.reshaped(kernel.resultShapes[i])
            next += 1
          }
        }
      case .chain(let chain):
        try located(chain.kernels.first?.source, live) { try chain.run(&slots) }
      case .primitive(let node, let source, let standIn, let inputs):
        guard let n = source.map({ live.order[$0] }) ?? standIn else { throw TensorError("internal error: a primitive without a node") }
        let args = try inputs.map(value)
        slots[node] = try located(source, live) { try Executor.evaluate(n, args) }
      }
      for slot in releases[k] { slots[slot] = nil }
    }
    return try roots.map(value)
  }

  /// Runs `body`, attaching the span of live node `source` to a tensor error.
  private func located<T>(_ source: Int?, _ live: LiveGraph, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as TensorError {
      throw LocatedTensorError(error: error, span: source.flatMap { live.order[$0].span })
    }
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
