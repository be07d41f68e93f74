/// The planner's product: a plan graph simplified (`PlanBuilder`), partitioned into fused
/// kernels (`FusionPartition`), lowered to tile-VM programs (`KernelLowering`), grouped
/// into row chains (`RowChain.group`), with buffers freed by liveness.
extension Plan {
  /// Plans the computation of `roots` in the plan graph `nodes` (as `PlanBuilder` made it).
  init(nodes: [PlanNode], roots: [Int]) throws {
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
        var standIn: StandIn?
        if nodes[i].source == nil {
          guard case .primitive(.reduce(let op, let axes, let keepdims)) = nodes[i].op else {
            throw TensorError("internal error: a primitive a rewrite made is not a reduction")
          }
          standIn = .reduce(op, axes: axes, keepdims: keepdims)
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
}
