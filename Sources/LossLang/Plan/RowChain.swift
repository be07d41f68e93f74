import CLossKernel

/// Consecutive fused kernels whose iteration spaces share their leading axis (the rows),
/// run block of rows by block (`lk_run_chain`) so that the values they pass on, and the
/// inputs they all read, stay in cache between them.
///
/// `log_softmax` over (N, C) logits is three kernels (row maximum, row sum of exponentials,
/// the log-probabilities and their row sums); chained, the logits come from memory once.
/// A kernel joins the chain before it when it reads every value the chain computed row by
/// row (row r of its space reads row r of the value) and reads no full sum of the chain
/// (a full sum is complete only after the last block). A reshape of a value the chain
/// computes joins it too: it is a view of a buffer allocated before the first block.
struct RowChain {
  /// The kernels, in order.
  let kernels: [KernelStep]
  /// The kernels with their C arguments prepared.
  let runners: [KernelRunner]
  /// Reshapes of values the chain computes, made before the first block: (slot, input slot, shape).
  let views: [(slot: Int, input: Int, shape: [Int])]
  /// Rows per block.
  let rowsPerBlock: Int

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

  /// Runs the chain on its operand slots, filling its result slots; large kernels as native
  /// code from `context.nativeKernels`, if any.
  func run(_ slots: inout [Tensor?], context: ExecutionContext) throws {
    // Every stored and row output, and the views of them, first: later kernels read them.
    for kernel in kernels {
      for (i, result) in kernel.results.enumerated() where kernel.program.outputs[i].mode != UInt8(LK_SUM.rawValue) {
        slots[result] = try Tensor(uninitialized: kernel.resultShapes[i], dtype: kernel.program.dtype)
      }
    }
    for view in views {
      guard let input = slots[view.input] else { throw TensorError("internal error: a planned value was not computed") }
      slots[view.slot] = try input.reshaped(view.shape)
    }
    let inputCount = kernels.reduce(0) { $0 + $1.program.inputCount }
    let outputCount = kernels.reduce(0) { $0 + $1.program.outputs.count }
    try withUnsafeTemporaryAllocation(of: lk_operand.self, capacity: max(inputCount, 1)) { operands in
      try withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: max(outputCount, 1)) { outputs in
        try withUnsafeTemporaryAllocation(of: Double.self, capacity: max(outputCount, 1)) { sums in
          try withUnsafeTemporaryAllocation(of: lk_chain_step.self, capacity: runners.count) { steps in
            var keepAlive: [Tensor] = []
            var (i0, k0) = (0, 0)
            for (s, runner) in runners.enumerated() {
              try runner.validate()
              let kernel = runner.step
              for (i, slot) in kernel.operands.enumerated() {
                guard let t = slots[slot] else { throw TensorError("internal error: a planned value was not computed") }
                keepAlive.append(t)
                operands[i0 + i] = lk_operand(
                  data: UnsafeRawPointer(t.storage.pointer), dtype: t.dtype.kernelCode, strides: runner.cStrides(i))
              }
              for (k, output) in kernel.program.outputs.enumerated() {
                outputs[k0 + k] = output.mode == UInt8(LK_SUM.rawValue) ? nil : slots[kernel.results[k]]?.storage.pointer
                sums[k0 + k] = 0
              }
              steps[s] = lk_chain_step(
                program: runner.cProgram(context.nativeKernels, context.cancellation), ndim: Int32(kernel.shape.count), shape: runner.cShape,
                inputs: UnsafePointer(operands.baseAddress.map { $0 + i0 }),
                outputs: UnsafePointer(outputs.baseAddress.map { $0 + k0 }), sums: sums.baseAddress.map { $0 + k0 })
              i0 += kernel.program.inputCount
              k0 += kernel.program.outputs.count
            }
            let status = withExtendedLifetime(keepAlive) {
              lk_run_chain(UnsafePointer(steps.baseAddress), Int32(runners.count), Int64(rowsPerBlock))
            }
            try KernelStatus.check(status, "kernel chain")
            k0 = 0
            for kernel in kernels {
              for (k, output) in kernel.program.outputs.enumerated() where output.mode == UInt8(LK_SUM.rawValue) {
                slots[kernel.results[k]] = try Tensor([sums[k0 + k]], shape: kernel.resultShapes[k], dtype: kernel.program.dtype)
              }
              k0 += kernel.program.outputs.count
            }
          }
        }
      }
    }
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
