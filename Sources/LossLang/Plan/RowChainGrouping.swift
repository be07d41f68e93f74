import CLossKernel

/// The row-chain pass: walks a plan's steps in order, growing a *run* of kernels over the
/// same rows and turning each finished run into a `RowChain`.
///
/// A kernel joins the run when it reads every value the run computes row by row (row r of
/// its space reads row r of the value), reads no full sum of the run (complete only after
/// the last block), and iterates over as many rows. A reshape of a value the run computes
/// joins it too (a view made before the first block). A step that cannot join moves before
/// the chain if it needs nothing the run computes, else it is *deferred* after it; a kernel
/// reading a deferred step's result ends the run, unless those deferred steps need only
/// kernels of the run that read nothing the run computes: then they and those kernels move
/// before the chain (as a count of valid targets, and the gradient seed divided by it, do
/// in `cross_entropy`).
struct RowChainGrouping {
  /// The shape of a plan node if it is a reshape.
  let reshape: (Int) -> [Int]?
  /// The steps grouped so far, in order.
  private(set) var grouped: [Plan.Step] = []
  /// Steps, operands and run entries examined.
  private(set) var visits = 0

  /// The run being grown.
  private var run: [Plan.Step] = []
  /// Elements per row of each value the run computes row by row.
  private var rowWidth: [Int: Int] = [:]
  /// The run's full sums (complete only after its last block).
  private var fullSums = Set<Int>()
  /// Every value the run computes: a kernel over 0 rows records no row width, yet a step
  /// reading its values must still come after it.
  private var computed = Set<Int>()
  /// The leading extents of the run's kernels (kept so a step checks them in constant time).
  private var runRows = Set<Int?>()
  /// Steps that need the run, to go after its chain.
  private var deferred: [Plan.Step] = []
  /// What the deferred steps compute.
  private var deferredResults = Set<Int>()

  init(reshape: @escaping (Int) -> [Int]?) { self.reshape = reshape }

  /// Places the next step: into the run, before it, or deferred after it.
  mutating func add(_ step: Plan.Step) {
    visits += 1 + step.reads.count
    if case .primitive(let node, _, _, let inputs) = step, reshape(node) != nil, rowWidth[inputs[0]] != nil {
      absorb(step)
      return
    }
    guard case .kernel(let kernel) = step, let rows = kernel.shape.first else {
      if step.reads.contains(where: { computed.contains($0) || deferredResults.contains($0) }) {
        deferred.append(step)
        deferredResults.formUnion(step.results)
      } else {
        grouped.append(step)
      }
      return
    }
    if kernel.operands.contains(where: deferredResults.contains), !hoist(for: kernel.operands) { endRun() }
    visits += kernel.operands.count + runRows.count
    if !readsRowwise(kernel) || runRows.contains(where: { $0 != rows }) { endRun() }
    absorb(step)
  }

  /// Ends the run: its kernels become a chain (if large enough to gain), then the deferred steps.
  mutating func endRun() {
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
    restartRun(with: [])
  }

  /// Whether `kernel` reads each value the run computes row by row, and no full sum of it.
  private func readsRowwise(_ kernel: KernelStep) -> Bool {
    !rowWidth.isEmpty && kernel.operands.indices.allSatisfy { i in
      let slot = kernel.operands[i]
      guard let width = rowWidth[slot] else { return !fullSums.contains(slot) }
      return kernel.strides[i].first == width
    }
  }

  /// Adds `step` to the run, recording what it computes.
  private mutating func absorb(_ step: Plan.Step) {
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

  /// Starts the run afresh from `steps`.
  private mutating func restartRun(with steps: [Plan.Step]) {
    run = []
    rowWidth = [:]
    fullSums = []
    computed = []
    runRows = []
    for step in steps { absorb(step) }
  }

  /// Moves the deferred steps that `operands` need, and the kernels of the run they read,
  /// before the run, if those kernels read nothing the run computes; false if they do.
  private mutating func hoist(for operands: [Int]) -> Bool {
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
    restartRun(with: kept)
    return true
  }
}
