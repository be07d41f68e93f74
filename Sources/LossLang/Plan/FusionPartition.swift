/// Splits a plan graph into fused kernels and primitive steps, in execution order.
///
/// A kernel is every elementwise node of one iteration space (shape and dtype) at one
/// *level*, plus the sums and maxima of its nodes over trailing axes (`LK_SUM` outputs for
/// full sums, `LK_ROWSUM`/`LK_ROWMAX`/`LK_ROWSUMEXP` for rows of one length per kernel). The level of a node is
/// the number of times a path from the leaves leaves its iteration space and comes back to
/// it (`SpaceLevels`): an elementwise input of the same space keeps the level, a path from a
/// node of the space through anything else (another space, a primitive, a sum) adds one. So
/// a path that leaves a kernel and comes back (`x - max(x)`) lands in a later kernel, and
/// every kernel can run in one pass; where two kernels of different spaces would each read
/// the other, their nodes keep the plan-wide count instead (every space counted).
/// Nodes are then moved as late as their consumers allow, so a value feeding only a later
/// kernel is computed there instead of being stored; and a short elementwise chain that a
/// later kernel of the same space reads is computed again there (see `recomputeChains`)
/// rather than written to memory and read back. Kernels over the same rows that can run
/// block of rows by block then form row chains (`RowChainGrouping`).
struct FusionPartition {
  /// One step of execution.
  enum Group {
    /// Elementwise nodes (inputs before users) computed in one pass, with the reductions
    /// (full sums, row sums and row maxima) of some of them and the members it stores.
    case kernel(members: [Int], sums: [Int], stores: [Int])
    /// A node computed by its own primitive.
    case primitive(Int)
    /// Kernels over the same rows, each after those it reads, to run block of rows by block
    /// (`RowChain`), and reshapes of their values (primitives), made as views before the
    /// first block. It may hold one kernel: lowering can split a kernel in several.
    case chain([Group])
  }

  /// The steps, each after every step it reads from.
  let groups: [Group]
  /// The users of each node among the nodes needed.
  let consumers: [[Int]]
  /// Whether each node is needed by a root.
  let isLive: [Bool]
  /// How many operands, steps and list entries building consumers, step dependencies, row
  /// chains and the order examined: linear in the graph's size (`PlanningCostTests` checks
  /// it doubles with the graph).
  let visits: Int

  /// Partitions the part of `nodes` the roots need, pass by pass (each pass below says what
  /// it guarantees the next).
  init(nodes: [PlanNode], roots: [Int]) {
    let live = Self.liveNodes(nodes, roots: roots)
    var visits = 0
    let consumers = Self.consumers(nodes, live: live, visits: &visits)
    let level = SpaceLevels(nodes, live: live, consumers: consumers, global: Self.levels(nodes, live: live, consumers: consumers))
    visits += level.visits
    let (grouped, kernelOf) = Self.kernelsBySpaceAndLevel(nodes, live: live, level: level.level)
    let (sums, primitives) = Self.reductions(nodes, live: live, kernelOf: kernelOf, kernelCount: grouped.count)
    var members = grouped
    Self.recomputeChains(into: &members, kernelOf: kernelOf, nodes: nodes, consumers: consumers, roots: roots)
    let (steps, stepOf) = Self.steps(
      members: &members, sums: sums, primitives: primitives, kernelOf: kernelOf, nodes: nodes, roots: roots)
    let (depends, first) = Self.dependencies(
      steps.count, members: members, stepOf: stepOf, kernelOf: kernelOf, nodes: nodes, live: live, visits: &visits)
    let chains = Self.rowChains(
      steps, order: Self.depthFirst(depends: depends, first: first), depends: depends, stepOf: stepOf, nodes: nodes,
      visits: &visits)
    groups = Self.schedule(steps, chains: chains, depends: depends, first: first, visits: &visits).filter {
      if case .kernel(let members, _, _) = $0 { return !members.isEmpty }
      return true
    }
    self.consumers = consumers
    isLive = live
    self.visits = visits
  }
}

extension FusionPartition {
  /// Pass 1: whether each node is needed by a root. Every input of a live node is live.
  static func liveNodes(_ nodes: [PlanNode], roots: [Int]) -> [Bool] {
    var live = [Bool](repeating: false, count: nodes.count)
    for r in roots where r >= 0 { live[r] = true }
    for i in nodes.indices.reversed() where live[i] { for j in nodes[i].inputs { live[j] = true } }
    return live
  }

  /// Pass 2: the users of each node among the live nodes, ascending and each once (a node
  /// reading an operand twice is one user); `visits` counts the operands examined.
  static func consumers(_ nodes: [PlanNode], live: [Bool], visits: inout Int) -> [[Int]] {
    var consumers = [[Int]](repeating: [], count: nodes.count)
    // i ascends, so a repeated operand of i is the last consumer recorded (a scan would be
    // quadratic in the users of a shared literal).
    for i in nodes.indices where live[i] {
      visits += nodes[i].inputs.count
      for j in nodes[i].inputs where consumers[j].last != i { consumers[j].append(i) }
    }
    return consumers
  }

  /// Pass 3: the plan-wide level of each live node. A node's level is at least each input's,
  /// and greater than the level of each input outside its iteration space (not fusable with
  /// it), so one kernel per (space, level) never reads its own output through another step.
  /// A fusable node whose users all share its space is then raised to the lowest of their
  /// levels: it is computed in the kernel that reads it rather than stored by an earlier one.
  /// `SpaceLevels` then counts levels in each space alone, keeping these for the kernels that
  /// would otherwise depend on each other.
  static func levels(_ nodes: [PlanNode], live: [Bool], consumers: [[Int]]) -> [Int] {
    var level = [Int](repeating: 0, count: nodes.count)
    for i in nodes.indices where live[i] && !nodes[i].inputs.isEmpty {
      level[i] = nodes[i].inputs.map { sameSpace($0, i, nodes) ? level[$0] : level[$0] + 1 }.max() ?? 0
    }
    raiseToUsers(&level, nodes: nodes, live: live, consumers: consumers)
    return level
  }

  /// Raises each live fusable node whose users all share its iteration space to the lowest
  /// of their levels (users first), so it is computed in the kernel that reads it rather than
  /// stored by an earlier one; it stays at or above its inputs' levels and below its users'.
  static func raiseToUsers(_ level: inout [Int], nodes: [PlanNode], live: [Bool], consumers: [[Int]]) {
    for i in nodes.indices.reversed() where live[i] && nodes[i].isFusable {
      let users = consumers[i]
      if !users.isEmpty, users.allSatisfy({ sameSpace($0, i, nodes) }), let latest = users.map({ level[$0] }).min() {
        level[i] = max(level[i], latest)
      }
    }
  }

  /// Whether nodes `a` and `b` are both fusable and of one iteration space (shape and dtype).
  static func sameSpace(_ a: Int, _ b: Int, _ nodes: [PlanNode]) -> Bool {
    nodes[a].isFusable && nodes[b].isFusable && nodes[a].shape == nodes[b].shape && nodes[a].dtype == nodes[b].dtype
  }

  /// Pass 4: the kernels, one per (shape, dtype, level) of the live fusable nodes, in order
  /// of their first member, each listing its members ascending (inputs before users); and
  /// the kernel of each node (-1 for a node in none).
  static func kernelsBySpaceAndLevel(_ nodes: [PlanNode], live: [Bool], level: [Int]) -> (members: [[Int]], kernelOf: [Int]) {
    var kernelOf = [Int](repeating: -1, count: nodes.count)
    var members: [[Int]] = []
    var kernelIndex: [KernelKey: Int] = [:]
    for i in nodes.indices where live[i] && nodes[i].isFusable {
      let key = KernelKey(shape: nodes[i].shape, dtype: nodes[i].dtype, level: level[i])
      let k = kernelIndex[key] ?? members.count
      if k == members.count {
        kernelIndex[key] = k
        members.append([])
      }
      members[k].append(i)
      kernelOf[i] = k
    }
    return (members, kernelOf)
  }

  /// Pass 5: the live nodes no kernel computes as a member (leaves and literals aside). A sum
  /// or maximum over trailing axes of a kernel's member becomes an output of that kernel
  /// (`sums[k]`), over leading axes a column output, as long as the kernel's row and column
  /// outputs keep one row length; every other such node is a primitive step of its own, in
  /// node order.
  static func reductions(_ nodes: [PlanNode], live: [Bool], kernelOf: [Int], kernelCount: Int) -> (sums: [[Int]], primitives: [Int]) {
    var sums = [[Int]](repeating: [], count: kernelCount)
    var rowLength = [Int](repeating: 0, count: kernelCount)
    var primitives: [Int] = []
    for i in nodes.indices where live[i] && !nodes[i].isFusable {
      if case .leaf = nodes[i].op { continue }
      if case .literal = nodes[i].op { continue }
      let k = nodes[i].inputs.first.map { kernelOf[$0] } ?? -1
      if k >= 0, let r = nodes[i].reduction(of: nodes[nodes[i].inputs[0]]), r.rowLength == 0 || rowLength[k] == 0 || rowLength[k] == r.rowLength {
        if r.rowLength > 0 { rowLength[k] = r.rowLength }
        sums[k].append(i)
      } else {
        primitives.append(i)
      }
    }
    return (sums, primitives)
  }

  /// Pass 7: the steps, kernel `k` at index `k` and then the
  /// primitives, and the step computing each node (-1 for leaves, literals and dead nodes).
  /// A kernel stores exactly its own members that a root, a primitive or another kernel
  /// reads, and keeps only the members its stores and reductions need (`members` is
  /// narrowed to them; a kernel may end up empty).
  static func steps(
    members: inout [[Int]], sums: [[Int]], primitives: [Int], kernelOf: [Int], nodes: [PlanNode], roots: [Int]
  ) -> (steps: [Group], stepOf: [Int]) {
    var mustStore = [Bool](repeating: false, count: nodes.count)
    for r in roots where r >= 0 { mustStore[r] = true }
    for i in primitives { for j in nodes[i].inputs { mustStore[j] = true } }
    for group in members {
      let inside = Set(group)
      for m in group { for j in nodes[m].inputs where !inside.contains(j) { mustStore[j] = true } }
    }
    var stepOf = [Int](repeating: -1, count: nodes.count)
    var steps: [Group] = []
    for k in members.indices {
      let stores = members[k].filter { kernelOf[$0] == k && mustStore[$0] }
      members[k] = Self.needed(members[k], by: stores + sums[k].map { nodes[$0].inputs[0] }, nodes: nodes)
      steps.append(.kernel(members: members[k], sums: sums[k], stores: stores))
      for m in members[k] where kernelOf[m] == k { stepOf[m] = k }
      for s in sums[k] { stepOf[s] = k }
    }
    for i in primitives {
      stepOf[i] = steps.count
      steps.append(.primitive(i))
    }
    return (steps, stepOf)
  }

  /// Pass 8: the steps each step reads from (each once, never itself), counting a kernel's
  /// recomputed members' inputs too; `first[s]` is the lowest node step `s` computes, the
  /// order in which the next pass starts from the steps. `visits` counts the operands and
  /// dependency entries examined.
  static func dependencies(
    _ stepCount: Int, members: [[Int]], stepOf: [Int], kernelOf: [Int], nodes: [PlanNode], live: [Bool],
    visits: inout Int
  ) -> (depends: [[Int]], first: [Int]) {
    var depends = [[Int]](repeating: [], count: stepCount)
    var first = [Int](repeating: Int.max, count: stepCount)
    for i in nodes.indices where live[i] && stepOf[i] >= 0 {
      let s = stepOf[i]
      first[s] = min(first[s], i)
      visits += nodes[i].inputs.count * (1 + depends[s].count)
      for j in nodes[i].inputs where stepOf[j] >= 0 && stepOf[j] != s && !depends[s].contains(stepOf[j]) {
        depends[s].append(stepOf[j])
      }
    }
    for (k, group) in members.enumerated() {
      let inside = Set(group)
      for m in group where kernelOf[m] != k {
        for j in nodes[m].inputs where !inside.contains(j) && stepOf[j] >= 0 && !depends[k].contains(stepOf[j]) {
          depends[k].append(stepOf[j])
        }
      }
    }
    return (depends, first)
  }

  /// Pass 9: an order of the steps with each after every step it depends on: depth first
  /// over the dependencies, starting from the steps in the order of their lowest node.
  static func depthFirst(depends: [[Int]], first: [Int]) -> [Int] {
    var ordered: [Int] = []
    var done = [Bool](repeating: false, count: depends.count)
    for start in depends.indices.sorted(by: { first[$0] < first[$1] }) where !done[start] {
      var stack: [(Int, Int)] = [(start, 0)]
      done[start] = true
      while let (s, next) = stack.popLast() {
        if next < depends[s].count {
          stack.append((s, next + 1))
          let d = depends[s][next]
          if !done[d] {
            done[d] = true
            stack.append((d, 0))
          }
        } else {
          ordered.append(s)
        }
      }
    }
    return ordered
  }

  /// Pass 10: the row chains, each a list of steps (kernels over the same rows and views of
  /// their values) that can run block of rows by block, decided in `order` as
  /// `RowChainGrouping` says. No path of dependencies leaves a chain and comes back to it,
  /// and no two chains depend on each other.
  static func rowChains(
    _ steps: [Group], order: [Int], depends: [[Int]], stepOf: [Int], nodes: [PlanNode], visits: inout Int
  ) -> [[Int]] {
    var grouping = RowChainGrouping(steps: steps, depends: depends, stepOf: stepOf, nodes: nodes)
    for s in order { grouping.add(s) }
    visits += grouping.visits
    return grouping.kernelChains
  }

  /// Pass 11: the steps in execution order, each chain as one step after every step its
  /// members depend on: `depthFirst` over the dependencies with each chain's members as one.
  static func schedule(_ steps: [Group], chains: [[Int]], depends: [[Int]], first: [Int], visits: inout Int) -> [Group] {
    // Unit s < steps.count is step s outside every chain; unit steps.count + c is chain c.
    var unitOf = Array(steps.indices)
    for (c, chain) in chains.enumerated() { for s in chain { unitOf[s] = steps.count + c } }
    let unitSteps = steps.indices.map { unitOf[$0] == $0 ? [$0] : [] } + chains
    var unitDepends = [[Int]](repeating: [], count: unitSteps.count)
    var unitFirst = [Int](repeating: Int.max, count: unitSteps.count)
    var lastAdded = [Int](repeating: -1, count: unitSteps.count)  // the unit each unit was last added to
    for (u, members) in unitSteps.enumerated() {
      for s in members {
        unitFirst[u] = min(unitFirst[u], first[s])
        visits += depends[s].count
        for d in depends[s] where unitOf[d] != u && lastAdded[unitOf[d]] != u {
          lastAdded[unitOf[d]] = u
          unitDepends[u].append(unitOf[d])
        }
      }
    }
    return depthFirst(depends: unitDepends, first: unitFirst).compactMap { u in
      if u >= steps.count { return .chain(chains[u - steps.count].map { steps[$0] }) }
      return unitOf[u] == u ? steps[u] : nil
    }
  }
}

/// The identity of a kernel: iteration space and level.
private struct KernelKey: Hashable {
  let shape: [Int]
  let dtype: DType
  let level: Int
}

extension FusionPartition {
  /// Most elementwise nodes a chain may have to be recomputed instead of stored.
  static let maxRecomputedChain = 16

  /// Pass 6: adds to each kernel the chains of other kernels (same space) that its members read:
  /// the read node and its ancestors of that space computed elsewhere, up to
  /// `maxRecomputedChain` nodes. A root or a node a primitive reads is stored anyway, so
  /// it is read, not recomputed.
  static func recomputeChains(into members: inout [[Int]], kernelOf: [Int], nodes: [PlanNode], consumers: [[Int]], roots: [Int]) {
    let rootSet = Set(roots)
    func storedAnyway(_ x: Int) -> Bool {
      rootSet.contains(x) || consumers[x].contains { !nodes[$0].isFusable && nodes[$0].reduction(of: nodes[x]) == nil }
    }
    for k in members.indices {
      var added = Set<Int>()
      // A node of another kernel of this space that k can compute itself.
      func recomputable(_ x: Int, for c: Int) -> Bool {
        kernelOf[x] >= 0 && kernelOf[x] != k && !added.contains(x) && !storedAnyway(x)
          && nodes[x].shape == nodes[c].shape && nodes[x].dtype == nodes[c].dtype
      }
      for c in members[k] {
        for x in nodes[c].inputs where recomputable(x, for: c) {
          var chain: [Int] = []
          var stack = [x]
          var seen: Set<Int> = [x]
          while let n = stack.popLast(), chain.count <= maxRecomputedChain {
            chain.append(n)
            for j in nodes[n].inputs where !seen.contains(j) && recomputable(j, for: n) {
              seen.insert(j)
              stack.append(j)
            }
          }
          if chain.count <= maxRecomputedChain { added.formUnion(chain) }
        }
      }
      if !added.isEmpty { members[k] = (Set(members[k]).union(added)).sorted() }
    }
  }

  /// The members (in order) that `roots` need within the kernel: the roots and, recursively,
  /// their inputs among the members.
  static func needed(_ members: [Int], by roots: [Int], nodes: [PlanNode]) -> [Int] {
    let inside = Set(members)
    var keep = Set<Int>()
    var stack = roots.filter { inside.contains($0) }
    while let n = stack.popLast() {
      guard keep.insert(n).inserted else { continue }
      for j in nodes[n].inputs where inside.contains(j) { stack.append(j) }
    }
    return members.filter { keep.contains($0) }
  }
}
