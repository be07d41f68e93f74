import CLossKernel

/// The row-chain pass of `FusionPartition`: which steps run together as one row chain
/// (`RowChain`), decided on the steps' dependency graph.
///
/// The steps come in an order where each follows every step it depends on; one chain is
/// open at a time. A kernel over rows (a leading extent above 0) whose row outputs each lie
/// within one row (not a maximum over all elements of several rows: that one row output
/// spans them, so such a kernel runs outside every chain) joins the open chain when
/// - it iterates over as many rows;
/// - a member kernel stores a value or computes row outputs (a chain of full sums alone
///   passes nothing on row by row);
/// - it reads every value a member computes row by row (row r of its space reads row r of
///   the value; a row sum or maximum is read broadcast along the columns);
/// - it reads no full sum of a member (complete only after the chain's last block);
/// - none of the steps outside the chain that it depends on depends on the chain (that step
///   would have to run both after the chain and before it);
/// - it is not one value a row that reads no member or computes full sums alone (`staysOut`:
///   such a kernel runs outside, before or after the chain).
/// A kernel that cannot join closes the chain and opens the next one. A reshape of a value
/// a member computes row by row joins as a view (made before the first block). When the
/// last rule keeps a kernel out, the member kernels that it and those outside steps read
/// leave the chain, if each reads only members leaving with it and the outside steps then
/// read no member left; the kernel joins, and the scheduling runs what left, and the
/// steps needing it, before the chain (`cross_entropy`'s count of valid targets, whose
/// quotient scales the gradient seed, runs before the chain of its loss and gradient).
struct RowChainGrouping {
  /// The partition's steps.
  let steps: [FusionPartition.Group]
  /// The steps each step reads from.
  let depends: [[Int]]
  /// The step computing each node (-1 for none).
  let stepOf: [Int]
  /// The plan graph.
  let nodes: [PlanNode]
  /// The chain of each step, an index into `chains` (-1 for none).
  private var chainOf: [Int]
  /// The members of each chain so far, each after the members it reads.
  private var chains: [[Int]] = []
  /// Steps, dependencies and operands examined.
  private(set) var visits = 0

  /// Rows of the open chain's kernels (0 while no chain is open).
  private var rows = 0
  /// The open chain's member kernels that store a value or compute row outputs.
  private var rowValueKernels = 0
  /// The steps visited since the open chain opened, in order.
  private var window: [Int] = []
  /// `dependant[s] == stamp` when step `s`, outside the open chain, depends on it.
  private var dependant: [Int]
  /// Changes whenever the open chain's members change other than by a kernel joining.
  private var stamp = 0

  init(steps: [FusionPartition.Group], depends: [[Int]], stepOf: [Int], nodes: [PlanNode]) {
    self.steps = steps
    self.depends = depends
    self.stepOf = stepOf
    self.nodes = nodes
    chainOf = [Int](repeating: -1, count: steps.count)
    dependant = [Int](repeating: -1, count: steps.count)
  }

  /// Places the next step: into the open chain, as the start of the next chain, or outside.
  mutating func add(_ s: Int) {
    visits += 1 + depends[s].count
    switch steps[s] {
    case .primitive(let i) where isView(i):
      join(s)
    case .kernel(let members, let sums, let stores) where runsByRows(members, sums: sums) && !staysOut(s, members, sums, stores):
      let space = nodes[members[0]].shape
      if space[0] == rows, !needsDependant(s) || evictSources(for: s), rowValueKernels > 0,
        readsRowwise(members, over: space)
      {
        join(s)
      } else {
        open(s, rows: space[0])
      }
    default:
      if depends[s].contains(where: { isMember($0) || dependant[$0] == stamp }) { dependant[s] = stamp }
      window.append(s)
    }
  }

  /// Whether kernel step `s`, one value a row of the open chain's rows, runs outside it: when
  /// it reads no member (it runs before the chain) or computes full sums alone (after it).
  /// Run in the chain it would be run again for every block, for no data kept in cache
  /// (cross_entropy's per-row coefficients from the targets, the losses' two sums).
  private mutating func staysOut(_ s: Int, _ members: [Int], _ sums: [Int], _ stores: [Int]) -> Bool {
    guard rows > 0, let space = members.first.map({ nodes[$0].shape }), space.first == rows,
      space.dropFirst().allSatisfy({ $0 == 1 })
    else { return false }
    visits += depends[s].count + sums.count
    return !depends[s].contains(where: isMember) || (stores.isEmpty && sums.allSatisfy(isFullSum))
  }

  /// The chains, each listing its members after the members they read; a chain holds a
  /// kernel (one whose kernels all left it would hold views only).
  var kernelChains: [[Int]] {
    chains.filter { chain in chain.contains { if case .kernel = steps[$0] { true } else { false } } }
  }

  /// Whether a kernel of `members` and reductions `sums` can run block of rows by block: it
  /// iterates over rows (a leading extent above 0) and each of its row outputs lies within
  /// one row (a maximum over all elements of several rows is one row output spanning them);
  /// it has no column output (complete only after every row).
  private mutating func runsByRows(_ members: [Int], sums: [Int]) -> Bool {
    guard let space = members.first.map({ nodes[$0].shape }), let rows = space.first, rows > 0 else { return false }
    visits += sums.count
    let perRow = space.dropFirst().reduce(1, *)
    return sums.allSatisfy { j in
      guard let r = nodes[j].reduction(of: nodes[nodes[j].inputs[0]]), r.mode != LK_SUM else { return true }
      return !r.mode.reducesColumns && perRow % r.rowLength == 0
    }
  }

  /// Whether step `s` is a member of the open chain.
  private func isMember(_ s: Int) -> Bool { rows > 0 && chainOf[s] == chains.count - 1 }

  /// Whether step `s` depends on a step outside the open chain that depends on it.
  private func needsDependant(_ s: Int) -> Bool { depends[s].contains { dependant[$0] == stamp } }

  /// Whether node `j`, computed by a member, is a full sum (`LK_SUM`) of a kernel.
  private func isFullSum(_ j: Int) -> Bool {
    guard let input = nodes[j].inputs.first, case .kernel = steps[stepOf[j]] else { return false }
    return nodes[j].reduction(of: nodes[input])?.mode == LK_SUM
  }

  /// Whether step `s` is a kernel storing a value or computing row outputs.
  private func computesRowValues(_ s: Int) -> Bool {
    guard case .kernel(_, let sums, let stores) = steps[s] else { return false }
    return !stores.isEmpty || sums.contains { nodes[$0].reduction(of: nodes[nodes[$0].inputs[0]])?.mode != LK_SUM }
  }

  /// Whether node `i` is a reshape of a value the open chain computes row by row.
  private func isView(_ i: Int) -> Bool {
    guard case .primitive(.reshape) = nodes[i].op, let input = nodes[i].inputs.first, stepOf[input] >= 0 else {
      return false
    }
    return isMember(stepOf[input]) && !isFullSum(input)
  }

  /// Whether a kernel of `members` over `space` reads each value a member computes row by
  /// row, and no full sum of one.
  private mutating func readsRowwise(_ members: [Int], over space: [Int]) -> Bool {
    let inside = Set(members)
    for m in members {
      visits += nodes[m].inputs.count
      for j in nodes[m].inputs where !inside.contains(j) && stepOf[j] >= 0 && isMember(stepOf[j]) {
        let width = nodes[j].count / rows
        if isFullSum(j) || Broadcast.strides(of: nodes[j].shape, over: space).first != width { return false }
      }
    }
    return true
  }

  /// Adds step `s` to the open chain.
  private mutating func join(_ s: Int) {
    chainOf[s] = chains.count - 1
    chains[chains.count - 1].append(s)
    window.append(s)
    if computesRowValues(s) { rowValueKernels += 1 }
  }

  /// Closes the open chain and opens one of kernel step `s` over `rows` rows.
  private mutating func open(_ s: Int, rows: Int) {
    self.rows = rows
    stamp += 1
    window = [s]
    chainOf[s] = chains.count
    chains.append([s])
    rowValueKernels = computesRowValues(s) ? 1 : 0
  }

  /// Takes out of the open chain the members that kernel `s` reads, or that the steps
  /// outside the chain it needs (and which need the chain) read, with the members those
  /// read, where each reads only members leaving with it; if those steps then read no
  /// member left in the chain, they and `s` no longer depend on it. Whether `s` then depends
  /// on no step that depends on the chain (changing nothing if not).
  private mutating func evictSources(for s: Int) -> Bool {
    var stack = depends[s].filter { dependant[$0] == stamp }
    var needed = Set(stack)
    var read = Set(depends[s].filter(isMember))
    while let d = stack.popLast() {
      visits += 1 + depends[d].count
      for e in depends[d] {
        if isMember(e) {
          read.insert(e)
        } else if dependant[e] == stamp, needed.insert(e).inserted {
          stack.append(e)
        }
      }
    }
    // With the members those read, and so on (the steps turning cross_entropy's targets
    // into another dtype before its count of valid targets).
    var sources = Array(read)
    while let m = sources.popLast() {
      visits += depends[m].count
      for e in depends[m] where isMember(e) && read.insert(e).inserted { sources.append(e) }
    }
    // In chain order, so a member's member inputs are decided before it.
    var leaving = Set<Int>()
    let chain = chains[chains.count - 1]
    visits += chain.count
    for m in chain where read.contains(m) && !depends[m].contains(where: { isMember($0) && !leaving.contains($0) }) {
      if case .kernel = steps[m] { leaving.insert(m) }
    }
    guard needed.allSatisfy({ d in !depends[d].contains { isMember($0) && !leaving.contains($0) } }) else { return false }
    for e in leaving {
      chainOf[e] = -1
      if computesRowValues(e) { rowValueKernels -= 1 }
    }
    chains[chains.count - 1].removeAll(where: leaving.contains)
    // What depends on the chain now: the window again, in order.
    stamp += 1
    visits += window.count
    for w in window where !isMember(w) && depends[w].contains(where: { isMember($0) || dependant[$0] == stamp }) {
      dependant[w] = stamp
    }
    return !needsDependant(s)
  }
}
