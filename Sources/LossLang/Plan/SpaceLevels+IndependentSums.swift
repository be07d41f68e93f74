import CLossKernel

extension SpaceLevels {
  /// Splits a kernel whose members partly depend on row outputs of a larger tensor and
  /// partly do not, when a full sum is taken of the latter: the members that depend on them
  /// get a level of their own, so the sum runs in a kernel before the larger tensor's row
  /// chain rather than after its first pass.
  ///
  /// cross_entropy's per-row kernel picks each row's target logit (a gather) against the row
  /// maximum and log-sum of the logits, and sums the weights of the valid targets, whose
  /// quotient scales the gradient's seed. Together, the seed waits for the logits' first
  /// pass, and the gradient is a second chain that reads the logits again; apart, the count
  /// runs first and the forward row sums, the per-row losses and the gradient are one chain.
  /// The part split off is as small as the kernel, a row of the larger space per element, so
  /// reading its inputs twice costs little.
  static func separateIndependentSums(
    _ level: inout [Int], nodes: [PlanNode], live: [Bool], space: [Int], visits: inout Int
  ) {
    // Whether each node depends, through any steps, on a row output of a larger tensor.
    var waits = [Bool](repeating: false, count: nodes.count)
    var readingRows = Set<SpaceKernel>(), summing = Set<SpaceKernel>()
    for i in nodes.indices where live[i] {
      visits += nodes[i].inputs.count
      waits[i] = nodes[i].inputs.contains { waits[$0] || isRowReduction($0, largerThan: nodes[i].count, nodes) }
      if space[i] >= 0 {
        if waits[i] { readingRows.insert(SpaceKernel(space: space[i], level: level[i])) }
      } else if let input = nodes[i].inputs.first, space[input] >= 0, !waits[input],
        nodes[i].reduction(of: nodes[input])?.mode == LK_SUM
      {
        summing.insert(SpaceKernel(space: space[input], level: level[input]))
      }
    }
    let split = readingRows.intersection(summing)
    guard !split.isEmpty else { return }
    var fresh = (level.max() ?? 0) + 1
    var newLevel: [SpaceKernel: Int] = [:]
    for i in nodes.indices where live[i] && space[i] >= 0 && waits[i] {
      let key = SpaceKernel(space: space[i], level: level[i])
      guard split.contains(key) else { continue }
      if newLevel[key] == nil {
        newLevel[key] = fresh
        fresh += 1
      }
      level[i] = newLevel[key, default: fresh]
    }
  }

  /// Whether node `j`, through reshapes, is a row output (a row sum, maximum or sum of
  /// exponentials) of a tensor of more than `elements` elements.
  private static func isRowReduction(_ j: Int, largerThan elements: Int, _ nodes: [PlanNode]) -> Bool {
    var j = j
    while case .primitive(.reshape) = nodes[j].op, let input = nodes[j].inputs.first { j = input }
    guard let input = nodes[j].inputs.first, let r = nodes[j].reduction(of: nodes[input]) else { return false }
    return r.mode != LK_SUM && !r.mode.reducesColumns && nodes[input].count > elements
  }
}
