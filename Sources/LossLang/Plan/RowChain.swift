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

  /// `steps` with runs of kernels that can share blocks turned into chains; `reshape(node)`
  /// is the shape of plan node `node` if it is a reshape. A step in the middle of a run
  /// that cannot join it moves before the chain if it needs nothing the run computes,
  /// else after it (then a kernel reading what it computes ends the run, unless those steps
  /// need only kernels of the run that read nothing the run computes: they all move before
  /// the chain, as a count of valid targets and the gradient seed divided by it do).
  /// `visits` counts the steps, operands and run entries examined (linear in `steps`).
  static func group(_ steps: [Plan.Step], visits: inout Int, reshape: (Int) -> [Int]?) -> [Plan.Step] {
    var grouped: [Plan.Step] = []
    var run: [Plan.Step] = []
    var rowWidth: [Int: Int] = [:]  // value computed by the run → elements per row
    var fullSums = Set<Int>()
    // Every value the run computes: a kernel over 0 rows records no row width, yet a step
    // reading its values must still come after it.
    var computed = Set<Int>()
    // The leading extent of the run's kernels (kept so a step checks it in constant time).
    var runRows = Set<Int?>()
    var deferred: [Plan.Step] = []
    var deferredResults = Set<Int>()
    /// Adds `step` to the run, recording what it computes.
    func absorb(_ step: Plan.Step) {
      run.append(step)
      computed.formUnion(step.results)
      switch step {
      case .primitive(let node, _, _, let inputs): rowWidth[node] = rowWidth[inputs[0]]
      case .kernel(let kernel):
        runRows.insert(kernel.shape.first)
        let rows = kernel.shape.first ?? 0
        for (i, result) in kernel.results.enumerated() where i < kernel.program.outputs.count {
          if kernel.program.outputs[i].mode == UInt8(LK_SUM.rawValue) {
            fullSums.insert(result)
          } else if rows > 0 {
            rowWidth[result] = kernel.resultShapes[i].reduce(1, *) / rows
          }
        }
      case .chain: break
      }
    }
    func flush() {
      visits += run.count
      var kernels: [KernelStep] = []
      var views: [(slot: Int, input: Int, shape: [Int])] = []
      for step in run {
        if case .kernel(let k) = step { kernels.append(k) }
        if case .primitive(let node, _, _, let inputs) = step, let shape = reshape(node) { views.append((node, inputs[0], shape)) }
      }
      if let chain = RowChain(kernels, views: views) { grouped.append(.chain(chain)) } else { grouped += run }
      grouped += deferred
      deferred = []
      deferredResults = []
      run = []
      rowWidth = [:]
      fullSums = []
      computed = []
      runRows = []
    }
    /// Moves the deferred steps that `operands` need, and the kernels of the run they read,
    /// before the run, if those kernels read nothing the run computes; false if they do.
    func hoist(for operands: [Int]) -> Bool {
      visits += deferred.count + run.count
      var need = Set(operands)
      var needed = Set<Int>()  // indices into deferred
      for (i, step) in deferred.enumerated().reversed() where step.results.contains(where: need.contains) {
        needed.insert(i)
        need.formUnion(step.reads)
      }
      var keptResults = Set<Int>()
      var hoisted: [Plan.Step] = [], kept: [Plan.Step] = []
      for step in run {
        if case .kernel = step, !step.reads.contains(where: keptResults.contains), step.results.contains(where: need.contains) {
          hoisted.append(step)
        } else {
          kept.append(step)
          keptResults.formUnion(step.results)
        }
      }
      guard !needed.contains(where: { deferred[$0].reads.contains(where: keptResults.contains) }) else { return false }
      grouped += hoisted + deferred.indices.filter(needed.contains).map { deferred[$0] }
      deferred = deferred.indices.filter { !needed.contains($0) }.map { deferred[$0] }
      deferredResults = Set(deferred.flatMap(\.results))
      run = []
      rowWidth = [:]
      fullSums = []
      computed = []
      runRows = []
      kept.forEach(absorb)
      return true
    }
    for step in steps {
      visits += 1 + step.reads.count
      if case .primitive(let node, _, _, let inputs) = step, reshape(node) != nil, rowWidth[inputs[0]] != nil {
        absorb(step)
        continue
      }
      guard case .kernel(let kernel) = step, let rows = kernel.shape.first else {
        if step.reads.contains(where: { computed.contains($0) || deferredResults.contains($0) }) {
          deferred.append(step)
          deferredResults.formUnion(step.results)
        } else {
          grouped.append(step)
        }
        continue
      }
      if kernel.operands.contains(where: deferredResults.contains), !hoist(for: kernel.operands) { flush() }
      let rowwise = rowWidth.isEmpty == false && kernel.operands.indices.allSatisfy { i in
        let slot = kernel.operands[i]
        guard let width = rowWidth[slot] else { return !fullSums.contains(slot) }
        return kernel.strides[i].first == width
      }
      visits += kernel.operands.count + runRows.count
      if !rowwise || runRows.contains(where: { $0 != rows }) { flush() }
      absorb(step)
    }
    flush()
    return grouped
  }
}

extension Plan.Step {
  /// The slots this step fills.
  fileprivate var results: [Int] {
    switch self {
    case .kernel(let k): k.results
    case .chain(let c): c.kernels.flatMap(\.results) + c.views.map(\.slot)
    case .primitive(let node, _, _, _): [node]
    }
  }
}
