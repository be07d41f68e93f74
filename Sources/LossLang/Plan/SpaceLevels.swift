/// The fusion level of each node counted in its own iteration space, with the kernels that
/// would otherwise depend on each other split.
///
/// A node's space level is the number of times a path from the leaves leaves *its* space and
/// comes back: an elementwise input of the same space keeps the level, a path through other
/// steps (a reduction, a primitive, another space) from a node of the space adds one, and
/// steps of other spaces alone add nothing. So a kernel fed by a long chain of small steps
/// elsewhere (`cross_entropy`'s count of valid targets, a scalar, a reshape) joins the kernel
/// of its space that computes the forward row sums, where the plan-wide count put it levels
/// later. Each space alone is then ordered, but two kernels of different spaces may each read
/// the other through a third step (a row sum of one feeding the other, and the other feeding
/// the first through a broadcast; `cross_entropy`'s per-row kernel reads the forward row
/// sums and feeds the gradient's seed). The kernels and the other steps form a graph whose
/// cycles (its strongly connected components of more than one step) are found in linear
/// time; on each, the kernel of the most elements is kept and the others are split into the
/// nodes it reaches and the rest (`breakCycles`), and the graph is examined again; after a
/// few rounds, the kernels still on cycles take their plan-wide levels, which makes none (a
/// cycle through plan-wide kernels and single steps alone cannot exist, as the plan-wide
/// level rises along every dependency between them).
struct SpaceLevels {
  /// The level of each live node: its space level (0 or more, or a new one for a part split
  /// off a kernel), or, for a node of a kernel still on a cycle after the last round, `-1 - `
  /// its plan-wide level (so the two kinds never share a kernel).
  let level: [Int]
  /// Map entries, operands and graph edges examined: linear in the graph's size for a
  /// bounded number of spaces in use at once.
  let visits: Int

  /// The levels of the live nodes of `nodes`, given their plan-wide levels (`global`), with
  /// at most `rounds` rounds of breaking cycles (`breakCycles`).
  init(_ nodes: [PlanNode], live: [Bool], consumers: [[Int]], global: [Int], rounds: Int = 8) {
    var visits = 0
    let space = Self.spaces(nodes, live: live)
    var level = Self.spaceLevels(nodes, live: live, space: space, visits: &visits)
    FusionPartition.raiseToUsers(&level, nodes: nodes, live: live, consumers: consumers)
    Self.separateIndependentSums(&level, nodes: nodes, live: live, space: space, visits: &visits)
    Self.breakCycles(&level, global: global, rounds: rounds, nodes: nodes, live: live, space: space, visits: &visits)
    self.level = level
    self.visits = visits
  }

  /// The iteration space (shape and dtype) of each live fusable node as a number, -1 for
  /// the other nodes.
  static func spaces(_ nodes: [PlanNode], live: [Bool]) -> [Int] {
    var ids: [SpaceKey: Int] = [:]
    var space = [Int](repeating: -1, count: nodes.count)
    for i in nodes.indices where live[i] && nodes[i].isFusable {
      let key = SpaceKey(shape: nodes[i].shape, dtype: nodes[i].dtype)
      let id = ids[key] ?? ids.count
      ids[key] = id
      space[i] = id
    }
    return space
  }

  /// The space level of each live fusable node (0 for the others). Each node carries the
  /// highest level of each space among itself and its ancestors, for the spaces that have a
  /// node after it (a space whose last node is behind is dropped, so the maps stay as small
  /// as the number of spaces in use at once); a node takes the highest of its inputs' entries
  /// for its space, plus one through an input outside the space.
  static func spaceLevels(_ nodes: [PlanNode], live: [Bool], space: [Int], visits: inout Int) -> [Int] {
    var lastNode: [Int: Int] = [:]
    for i in nodes.indices where space[i] >= 0 { lastNode[space[i]] = i }
    var level = [Int](repeating: 0, count: nodes.count)
    var highest = [[Int: Int]](repeating: [:], count: nodes.count)
    for i in nodes.indices where live[i] {
      var entries: [Int: Int] = [:]
      for j in nodes[i].inputs {
        visits += 1 + highest[j].count
        entries.merge(highest[j].filter { lastNode[$0.key, default: -1] > i }, uniquingKeysWith: max)
      }
      let s = space[i]
      if s >= 0 {
        level[i] = nodes[i].inputs.map { j in highest[j][s].map { space[j] == s ? $0 : $0 + 1 } ?? 0 }.max() ?? 0
        if lastNode[s, default: -1] > i { entries[s] = level[i] }
      }
      highest[i] = entries
    }
    return level
  }

  /// Splits the kernels on cycles until no cycle is left. In each round, on each cycle (a
  /// strongly connected component), the kernel of the most elements is kept and every other
  /// kernel on it is split in two: its nodes that a path from the kept kernel reaches get a
  /// level of their own (one above every level in use), the others keep theirs. W2's cycle
  /// keeps the (N, C) kernel of the forward row sums and the gradient and splits the (N)
  /// kernel into the per-row losses (after it) and the gradient's seed (before it). The kept
  /// kernel is then on no cycle: a path leaving it and coming back would raise its space
  /// level, and the parts reached from it are never read by it. In the last of `rounds`,
  /// every kernel still on a cycle takes its nodes' plan-wide levels (`-1 - global`) instead,
  /// which leaves none; so planning stays linear in the graph's size.
  static func breakCycles(
    _ level: inout [Int], global: [Int], rounds: Int, nodes: [PlanNode], live: [Bool], space: [Int],
    visits: inout Int
  ) {
    var fresh = (level.max() ?? 0) + 1
    for round in 1...max(rounds, 1) {
      let (unitOf, cycle) = kernelsOnCycles(nodes, live: live, space: space, level: level, visits: &visits)
      var kept: [Int: (unit: Int, elements: Int)] = [:]
      for i in nodes.indices where cycle[i] >= 0 && space[i] >= 0 && nodes[i].count > kept[cycle[i]]?.elements ?? -1 {
        kept[cycle[i]] = (unitOf[i], nodes[i].count)
      }
      if kept.isEmpty { return }
      if round >= rounds {
        for i in nodes.indices where cycle[i] >= 0 && space[i] >= 0 { level[i] = -1 - global[i] }
        return
      }
      // Whether a path within its component reaches each node from the component's kept kernel.
      var reached = [Bool](repeating: false, count: nodes.count)
      var splitLevel: [Int: Int] = [:]
      for i in nodes.indices where cycle[i] >= 0 {
        visits += nodes[i].inputs.count
        reached[i] = nodes[i].inputs.contains { j in
          cycle[j] == cycle[i] && (reached[j] || kept[cycle[j]]?.unit == unitOf[j])
        }
        guard reached[i], space[i] >= 0, kept[cycle[i]]?.unit != unitOf[i] else { continue }
        if splitLevel[unitOf[i]] == nil {
          splitLevel[unitOf[i]] = fresh
          fresh += 1
        }
        level[i] = splitLevel[unitOf[i], default: fresh]
      }
    }
  }

  /// The graph of kernels (a space and a level each) and the other steps (each live node
  /// neither a leaf nor a literal), where a step points to the steps reading it: the step of
  /// each node (-1 for none), and for each node of a step on a cycle (a strongly connected
  /// component of more than one step) that component's number, -1 for the others.
  static func kernelsOnCycles(
    _ nodes: [PlanNode], live: [Bool], space: [Int], level: [Int], visits: inout Int
  ) -> (unitOf: [Int], cycle: [Int]) {
    var unitOf = [Int](repeating: -1, count: nodes.count)
    var kernelUnit: [SpaceKernel: Int] = [:]
    var unitCount = 0
    for i in nodes.indices where live[i] {
      if space[i] >= 0 {
        let key = SpaceKernel(space: space[i], level: level[i])
        unitOf[i] = kernelUnit[key] ?? unitCount
        kernelUnit[key] = unitOf[i]
      } else if !isLeafOrLiteral(nodes[i]) {
        unitOf[i] = unitCount
      }
      if unitOf[i] == unitCount { unitCount += 1 }
    }
    var readers = [[Int]](repeating: [], count: unitCount)
    for i in nodes.indices where unitOf[i] >= 0 {
      visits += nodes[i].inputs.count
      for j in nodes[i].inputs where unitOf[j] >= 0 && unitOf[j] != unitOf[i] && readers[unitOf[j]].last != unitOf[i] {
        readers[unitOf[j]].append(unitOf[i])
      }
    }
    let component = StronglyConnectedComponents(readers)
    visits += component.visits
    var size = [Int](repeating: 0, count: component.count)
    for c in component.of { size[c] += 1 }
    let cycle = nodes.indices.map { i in
      unitOf[i] >= 0 && size[component.of[unitOf[i]]] > 1 ? component.of[unitOf[i]] : -1
    }
    return (unitOf, cycle)
  }
}

extension SpaceLevels {
  /// Whether `node` is a leaf or a literal (read, never computed by a step).
  private static func isLeafOrLiteral(_ node: PlanNode) -> Bool {
    switch node.op {
    case .leaf, .literal: true
    default: false
    }
  }
}

/// An iteration space: shape and dtype.
private struct SpaceKey: Hashable {
  let shape: [Int]
  let dtype: DType
}

/// A kernel of the space-level partition: space number and level.
struct SpaceKernel: Hashable {
  let space: Int
  let level: Int
}
