/// The planner's product: a plan graph simplified (`PlanBuilder`), partitioned into fused
/// kernels and row chains (`FusionPartition`), lowered to tile-VM programs (`KernelLowering`),
/// with buffers freed by liveness.
extension Plan {
  /// Plans the computation of `roots` in the plan graph `nodes` (as `PlanBuilder` made it),
  /// with 2-D transposes folded into the values read from them (`TransposeFolding`) and
  /// row-uniform values computed once per row (`RowUniformNarrowing`).
  init(nodes: [PlanNode], roots: [Int]) throws {
    guard roots.allSatisfy({ $0 >= 0 }) else { throw TensorError("internal error: a requested node is not planned") }
    let (folded, roots) = TransposeFolding.folded(nodes, roots: roots)
    let nodes = RowUniformNarrowing.narrowed(folded, roots: roots)
    let partition = FusionPartition(nodes: nodes, roots: roots)
    var isRoot = [Bool](repeating: false, count: nodes.count)
    for r in roots { isRoot[r] = true }
    let lowering = KernelLowering(nodes: nodes, consumers: partition.consumers)
    var nextSlot = nodes.count
    let steps = Self.writingInPlace(
      try partition.groups.flatMap { try Self.steps(of: $0, lowering: lowering, nextSlot: &nextSlot) }, roots: roots)
    var leaves: [(slot: Int, position: Int)] = []
    var literals: [(slot: Int, value: Tensor)] = []
    for i in nodes.indices where partition.isLive[i] {
      switch nodes[i].op {
      case .leaf(let position): leaves.append((i, position))
      case .literal(let t): literals.append((i, t))
      default: break
      }
    }
    var lastRead = [Int](repeating: -1, count: nextSlot)
    for (k, step) in steps.enumerated() {
      for slot in step.reads { lastRead[slot] = k }
    }
    var releases = [[Int]](repeating: [], count: steps.count)
    for slot in lastRead.indices where lastRead[slot] >= 0 && !(slot < nodes.count && isRoot[slot]) {
      releases[lastRead[slot]].append(slot)
    }
    self.slotCount = nextSlot
    self.leaves = leaves
    self.literals = literals
    self.steps = steps
    self.releases = releases
    self.roots = roots
    self.visits = partition.visits
  }

  /// `steps` with each chain's results written over the values its kernels read for the
  /// last time where they can be (`RowChain.inPlaceResults`).
  private static func writingInPlace(_ steps: [Step], roots: [Int]) -> [Step] {
    var readers: [Int: Set<Int>] = [:]  // slot → the steps reading it (-1: a root)
    for r in roots { readers[r, default: []].insert(-1) }
    for (k, step) in steps.enumerated() {
      for slot in step.reads { readers[slot, default: []].insert(k) }
    }
    return steps.enumerated().map { k, step in
      guard case .chain(var chain) = step else { return step }
      chain.writeInPlace { readers[$0, default: []].contains { $0 != k } }
      return .chain(chain)
    }
  }

  /// The steps running a group of the partition: a kernel group's lowered kernels, a
  /// primitive, or a chain (its kernels and views one after another if it is too small to
  /// gain from blocking), its kernels sharing row sums of shifted values
  /// (`RowShiftedSumSharing`) and exponentials (`RowExpSharing`: new slots from `nextSlot` on).
  private static func steps(of group: FusionPartition.Group, lowering: KernelLowering, nextSlot: inout Int) throws
    -> [Step]
  {
    let nodes = lowering.nodes
    switch group {
    case .kernel(let members, let sums, let stores):
      return try lowering.lower(members: members, sums: sums, stores: Set(stores)).map { .kernel($0) }
    case .primitive(let i):
      var standIn: StandIn?
      if nodes[i].source == nil {
        switch nodes[i].op {
        case .primitive(.reduce(let op, let axes, let keepdims)): standIn = .reduce(op, axes: axes, keepdims: keepdims)
        case .primitive(.sumExpShifted(let axes, let keepdims)): standIn = .sumExpShifted(axes: axes, keepdims: keepdims)
        case .primitive(.reshape): standIn = .reshape(nodes[i].shape)
        default: throw TensorError("internal error: a primitive a rewrite made is not a reduction or a reshape")
        }
      }
      return [.primitive(node: i, source: nodes[i].source, standIn: standIn, inputs: nodes[i].inputs)]
    case .chain(let members):
      let steps = try members.flatMap { try Self.steps(of: $0, lowering: lowering, nextSlot: &nextSlot) }
      var kernels: [KernelStep] = []
      var views: [(slot: Int, input: Int, shape: [Int])] = []
      for step in steps {
        switch step {
        case .kernel(let kernel): kernels.append(kernel)
        case .primitive(let node, _, _, let inputs): views.append((node, inputs[0], nodes[node].shape))
        case .chain: throw TensorError("internal error: a row chain inside a row chain")
        }
      }
      var sharingSlot = nextSlot
      let reshaped = RowChain.reshaped(views)
      let sharing = RowExpSharing.shared(
        RowShiftedSumSharing.shared(kernels, views: reshaped), views: reshaped, nextSlot: &sharingSlot)
      guard let chain = RowChain(sharing, views: views) else { return steps }
      nextSlot = sharingSlot
      return [.chain(chain)]
    }
  }
}
