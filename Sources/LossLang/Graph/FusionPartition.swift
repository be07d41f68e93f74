/// Splits a plan graph into fused kernels and primitive steps, in execution order.
///
/// A kernel is every elementwise node of one iteration space (shape and dtype) at one
/// *level*, plus the sums and maxima of its nodes over trailing axes (`LK_SUM` outputs for
/// full sums, `LK_ROWSUM`/`LK_ROWMAX` for rows of one length per kernel). The level of a node is
/// the number of times a path from the leaves must leave its iteration space to reach
/// it: an elementwise input of the same space keeps the level, anything else (a leaf,
/// another space, a primitive, a sum) adds one. So a path that leaves a kernel and comes
/// back (`x - max(x)`) lands in a later kernel, and every kernel can run in one pass.
/// Nodes are then moved as late as their consumers allow, so a value feeding only a later
/// kernel is computed there instead of being stored.
struct FusionPartition {
  /// One step of execution.
  enum Group {
    /// Elementwise nodes (inputs before users) computed in one pass, with the reductions
    /// (full sums, row sums and row maxima) of some of them.
    case kernel(members: [Int], sums: [Int])
    /// A node computed by its own primitive.
    case primitive(Int)
  }

  /// The steps, each after every step it reads from.
  let groups: [Group]
  /// The users of each node among the nodes needed.
  let consumers: [[Int]]
  /// Whether each node is needed by a root.
  let isLive: [Bool]

  /// Partitions the part of `nodes` the roots need.
  init(nodes: [PlanNode], roots: [Int]) {
    var live = [Bool](repeating: false, count: nodes.count)
    for r in roots where r >= 0 { live[r] = true }
    for i in nodes.indices.reversed() where live[i] { for j in nodes[i].inputs { live[j] = true } }
    var consumers = [[Int]](repeating: [], count: nodes.count)
    for i in nodes.indices where live[i] { for j in nodes[i].inputs where !consumers[j].contains(i) { consumers[j].append(i) } }

    func sameSpace(_ a: Int, _ b: Int) -> Bool {
      nodes[a].isFusable && nodes[b].isFusable && nodes[a].shape == nodes[b].shape && nodes[a].dtype == nodes[b].dtype
    }
    var level = [Int](repeating: 0, count: nodes.count)
    for i in nodes.indices where live[i] && !nodes[i].inputs.isEmpty {
      level[i] = nodes[i].inputs.map { sameSpace($0, i) ? level[$0] : level[$0] + 1 }.max() ?? 0
    }
    for i in nodes.indices.reversed() where live[i] && nodes[i].isFusable {
      let users = consumers[i]
      if !users.isEmpty, users.allSatisfy({ sameSpace($0, i) }), let latest = users.map({ level[$0] }).min() {
        level[i] = max(level[i], latest)
      }
    }

    // Group by (space, level); attach full sums of members to their kernel.
    var kernelOf = [Int](repeating: -1, count: nodes.count)
    var kernels: [(members: [Int], sums: [Int])] = []
    var kernelIndex: [KernelKey: Int] = [:]
    for i in nodes.indices where live[i] && nodes[i].isFusable {
      let key = KernelKey(shape: nodes[i].shape, dtype: nodes[i].dtype, level: level[i])
      let k = kernelIndex[key] ?? kernels.count
      if k == kernels.count {
        kernelIndex[key] = k
        kernels.append(([], []))
      }
      kernels[k].members.append(i)
      kernelOf[i] = k
    }
    var stepOf = [Int](repeating: -1, count: nodes.count)
    var steps: [Group] = kernels.map { .kernel(members: $0.members, sums: []) }
    var sums = [[Int]](repeating: [], count: kernels.count)
    var rowLength = [Int](repeating: 0, count: kernels.count)
    for i in nodes.indices where live[i] && !nodes[i].isFusable {
      if case .leaf = nodes[i].op { continue }
      if case .literal = nodes[i].op { continue }
      let k = nodes[i].inputs.first.map { kernelOf[$0] } ?? -1
      if k >= 0, let r = nodes[i].reduction(of: nodes[nodes[i].inputs[0]]), r.rowLength == 0 || rowLength[k] == 0 || rowLength[k] == r.rowLength {
        if r.rowLength > 0 { rowLength[k] = r.rowLength }
        sums[k].append(i)
        stepOf[i] = k
      } else {
        stepOf[i] = steps.count
        steps.append(.primitive(i))
      }
    }
    for (k, kernel) in kernels.enumerated() {
      steps[k] = .kernel(members: kernel.members, sums: sums[k])
      for m in kernel.members { stepOf[m] = k }
    }

    // Depth-first order over step dependencies, starting from steps in node order.
    var depends = [[Int]](repeating: [], count: steps.count)
    var first = [Int](repeating: Int.max, count: steps.count)
    for i in nodes.indices where live[i] && stepOf[i] >= 0 {
      let s = stepOf[i]
      first[s] = min(first[s], i)
      for j in nodes[i].inputs where stepOf[j] >= 0 && stepOf[j] != s && !depends[s].contains(stepOf[j]) {
        depends[s].append(stepOf[j])
      }
    }
    var ordered: [Group] = []
    var done = [Bool](repeating: false, count: steps.count)
    for start in steps.indices.sorted(by: { first[$0] < first[$1] }) where !done[start] {
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
          ordered.append(steps[s])
        }
      }
    }
    groups = ordered
    self.consumers = consumers
    isLive = live
  }
}

/// The identity of a kernel: iteration space and level.
private struct KernelKey: Hashable {
  let shape: [Int]
  let dtype: DType
  let level: Int
}
