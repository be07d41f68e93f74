import CLossKernel

/// Row chains as the planner makes them: which kernels join a chain (see `RowChain`).
extension RowChain {
  /// Elements per kernel and block to aim for: a few operands of this size stay in L2.
  static let blockElements = 32 << 10
  /// The smallest chain worth blocking: elements of its largest kernel.
  static let minElements = 1 << 16

  /// A chain of `kernels`, or nil if it is too small to gain from blocking.
  init?(_ kernels: [KernelStep], views: [(slot: Int, input: Int, shape: [Int])]) {
    guard kernels.count > 1, let rows = kernels.first?.shape.first, rows > 0 else { return nil }
    let perRow = kernels.map { $0.shape.dropFirst().reduce(1, *) }.max() ?? 0
    guard perRow * rows >= Self.minElements else { return nil }
    self.kernels = kernels
    runners = kernels.map(KernelRunner.init)
    self.views = views
    rowsPerBlock = max(1, Self.blockElements / max(perRow, 1))
  }

  /// `steps` with runs of kernels that can share blocks turned into chains (see
  /// `RowChainGrouping`); `reshape(node)` is the shape of plan node `node` if it is a
  /// reshape. `visits` counts the steps, operands and run entries examined (linear in `steps`).
  static func group(_ steps: [Plan.Step], visits: inout Int, reshape: @escaping (Int) -> [Int]?) -> [Plan.Step] {
    var grouping = RowChainGrouping(reshape: reshape)
    for step in steps { grouping.add(step) }
    grouping.endRun()
    visits += grouping.visits
    return grouping.grouped
  }
}

extension Plan.Step {
  /// The slots this step fills.
  var results: [Int] {
    switch self {
    case .kernel(let k): k.results
    case .chain(let c): c.kernels.flatMap(\.results) + c.views.map(\.slot)
    case .primitive(let node, _, _, _): [node]
    }
  }
}
