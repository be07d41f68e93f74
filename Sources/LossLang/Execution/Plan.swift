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
  /// Operands, steps and list entries the partition and row chaining examined: linear in
  /// the graph's size, a cost measure tests can check without timing.
  let visits: Int

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
    var visits = partition.visits
    steps = RowChain.group(steps, visits: &visits) { node in
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
    self.visits = visits
  }

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
