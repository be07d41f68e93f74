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
    self.views = views
    rowsPerBlock = max(1, Self.blockElements / max(perRow, 1))
  }

  /// `steps` with runs of kernels that can share blocks turned into chains; `reshape(node)`
  /// is the shape of plan node `node` if it is a reshape. A step in the middle of a run
  /// that cannot join it moves before the chain if it needs nothing the run computes,
  /// else after it (then a kernel reading what it computes ends the run).
  static func group(_ steps: [Plan.Step], reshape: (Int) -> [Int]?) -> [Plan.Step] {
    var grouped: [Plan.Step] = []
    var run: [Plan.Step] = []
    var rowWidth: [Int: Int] = [:]  // value computed by the run → elements per row
    var fullSums = Set<Int>()
    var deferred: [Plan.Step] = []
    var deferredResults = Set<Int>()
    func flush() {
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
    }
    for step in steps {
      if case .primitive(let node, _, _, let inputs) = step, reshape(node) != nil, let width = rowWidth[inputs[0]] {
        run.append(step)
        rowWidth[node] = width
        continue
      }
      guard case .kernel(let kernel) = step, let rows = kernel.shape.first else {
        if step.reads.contains(where: { rowWidth[$0] != nil || fullSums.contains($0) || deferredResults.contains($0) }) {
          deferred.append(step)
          deferredResults.formUnion(step.results)
        } else {
          grouped.append(step)
        }
        continue
      }
      if kernel.operands.contains(where: deferredResults.contains) { flush() }
      let rowwise = rowWidth.isEmpty == false && kernel.operands.indices.allSatisfy { i in
        let slot = kernel.operands[i]
        guard let width = rowWidth[slot] else { return !fullSums.contains(slot) }
        return kernel.strides[i].first == width
      }
      if !rowwise || run.contains(where: { if case .kernel(let k) = $0 { k.shape.first != rows } else { false } }) { flush() }
      run.append(step)
      for (i, result) in kernel.results.enumerated() where i < kernel.program.outputs.count {
        if kernel.program.outputs[i].mode == UInt8(LK_SUM.rawValue) {
          fullSums.insert(result)
        } else if rows > 0 {
          rowWidth[result] = kernel.resultShapes[i].reduce(1, *) / rows
        }
      }
    }
    flush()
    return grouped
  }

  /// Runs the chain on its operand slots, filling its result slots.
  func run(_ slots: inout [Tensor?]) throws {
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
    var arena = CArena()
    defer { arena.release() }
    var keepAlive: [Tensor] = []
    let steps = arena.buffer(count: kernels.count, repeating: lk_chain_step())
    let sums = kernels.map { arena.buffer(count: $0.program.outputs.count, repeating: 0.0) }
    for (s, kernel) in kernels.enumerated() {
      let program = kernel.program
      let ndim = kernel.shape.count
      let strides = arena.buffer(kernel.strides.joined().map(Int64.init))
      var operands: [lk_operand] = []
      for (i, slot) in kernel.operands.enumerated() {
        guard let t = slots[slot] else { throw TensorError("internal error: a planned value was not computed") }
        keepAlive.append(t)
        operands.append(lk_operand(data: UnsafeRawPointer(t.storage.pointer), dtype: t.dtype.kernelCode,
                                   strides: strides.baseAddress.map { $0 + i * ndim }))
      }
      let outputs: [UnsafeMutableRawPointer?] = kernel.results.indices.map { i in
        program.outputs[i].mode == UInt8(LK_SUM.rawValue) ? nil : slots[kernel.results[i]]?.storage.pointer
      }
      let cProgram = arena.buffer([lk_program(
        dtype: program.dtype.kernelCode, n_inputs: Int32(program.inputCount), n_outputs: Int32(program.outputs.count),
        n_regs: Int32(program.registerCount), n_insns: Int32(program.instructions.count),
        insns: UnsafePointer(arena.buffer(program.instructions).baseAddress),
        outputs: UnsafePointer(arena.buffer(program.outputs).baseAddress), row_length: Int64(program.rowLength))])
      steps[s] = lk_chain_step(
        program: UnsafePointer(cProgram.baseAddress), ndim: Int32(ndim),
        shape: UnsafePointer(arena.buffer(kernel.shape.map(Int64.init)).baseAddress),
        inputs: UnsafePointer(arena.buffer(operands).baseAddress),
        outputs: UnsafePointer(arena.buffer(outputs).baseAddress), sums: sums[s].baseAddress)
    }
    let status = withExtendedLifetime(keepAlive) {
      lk_run_chain(UnsafePointer(steps.baseAddress), Int32(kernels.count), Int64(rowsPerBlock))
    }
    try KernelStatus.check(status, "kernel chain")
    for (s, kernel) in kernels.enumerated() {
      for (i, result) in kernel.results.enumerated() where kernel.program.outputs[i].mode == UInt8(LK_SUM.rawValue) {
        slots[result] = try Tensor([sums[s][i]], shape: kernel.resultShapes[i], dtype: kernel.program.dtype)
      }
    }
  }
}

/// Buffers handed to C for the length of one call, freed together.
private struct CArena {
  private var frees: [() -> Void] = []

  /// A buffer holding `values`.
  mutating func buffer<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
    let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
    _ = b.initialize(from: values)
    frees.append { b.deallocate() }
    return b
  }

  /// A buffer of `count` copies of `value`.
  mutating func buffer<T>(count: Int, repeating value: T) -> UnsafeMutableBufferPointer<T> {
    buffer([T](repeating: value, count: count))
  }

  /// Frees every buffer.
  mutating func release() {
    for free in frees { free() }
    frees = []
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
