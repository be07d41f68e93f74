import CLossKernel

/// A plan bound to one traced graph whose input leaves take new tensors on every run:
/// the call path of ``CompiledLoss``.
///
/// What does not depend on the data is settled once: the walk of the graph, the plan, which
/// slots each input and each constant fills, and every kernel's C arguments (program,
/// shape, strides). A run fills the slots, allocates the outputs and calls the tile VM,
/// computing exactly what `Plan.run` computes on the same graph.
final class BoundPlan {
  private let plan: Plan
  private let live: LiveGraph
  /// The slots each input fills, in the order `run` receives the inputs.
  private let inputSlots: [[Int]]
  /// Slots filled with values fixed when the graph was traced (constants) or planned (literals).
  private let fixed: [(slot: Int, value: Tensor)]
  /// The prepared C arguments of each step (nil for a primitive step).
  private let calls: [KernelCall?]
  /// Values by plan slot during a run (empty between runs).
  private var slots: [Tensor?]

  /// Binds `plan` (the plan of `live`) so that `inputs` (leaves of `live`) take new values.
  init(plan: Plan, live: LiveGraph, inputs: [Node]) throws {
    var inputSlots = [[Int]](repeating: [], count: inputs.count)
    var fixed = plan.literals
    for (slot, position) in plan.leaves {
      let node = live.order[position]
      if let k = inputs.firstIndex(where: { $0 === node }) {
        inputSlots[k].append(slot)
      } else if let value = node.value {
        fixed.append((slot, value))
      } else {
        throw TensorError("internal error: a leaf of a compiled loss has no value")
      }
    }
    self.plan = plan
    self.live = live
    self.inputSlots = inputSlots
    self.fixed = fixed
    // A kernel result that is no root and that only kernels read never leaves a run (a
    // kernel writes new buffers), so it can live in the same buffer every run.
    var isScratch = [Bool](repeating: true, count: plan.slotCount)
    for r in plan.roots { isScratch[r] = false }
    for step in plan.steps {
      if case .primitive(_, _, _, let inputs) = step { for i in inputs { isScratch[i] = false } }
    }
    calls = try plan.steps.map { step in
      if case .kernel(let kernel) = step { return try KernelCall(kernel, isScratch: isScratch) }
      return nil
    }
    slots = [Tensor?](repeating: nil, count: plan.slotCount)
  }

  /// The plan's requested values with `inputs[k]` as the value of input leaf `k`.
  func run(_ inputs: [Tensor]) throws -> [Tensor] {
    // Work on a local array (no exclusivity checks on every access), put back empty.
    var slots: [Tensor?] = []
    swap(&slots, &self.slots)
    defer {
      for i in slots.indices { slots[i] = nil }
      swap(&slots, &self.slots)
    }
    for (k, input) in inputs.enumerated() {
      for slot in inputSlots[k] { slots[slot] = input }
    }
    for (slot, value) in fixed { slots[slot] = value }
    for k in plan.steps.indices {
      if let call = calls[k] {
        try located(call.step.source) { try call.run(&slots) }
      } else if case .chain(let chain) = plan.steps[k] {
        try located(chain.kernels.first?.source) { try chain.run(&slots) }
      } else if case .primitive(let node, let source, let standIn, let inputs) = plan.steps[k] {
        guard let n = source.map({ live.order[$0] }) ?? standIn else { throw TensorError("internal error: a primitive without a node") }
        let args = try inputs.map { try Self.value(slots, $0) }
        slots[node] = try located(source) { try Executor.evaluate(n, args) }
      }
      for slot in plan.releases[k] { slots[slot] = nil }
    }
    return try plan.roots.map { try Self.value(slots, $0) }
  }

  /// The value in `slot`.
  fileprivate static func value(_ slots: [Tensor?], _ slot: Int) throws -> Tensor {
    guard let v = slots[slot] else { throw TensorError("internal error: a planned value was not computed") }
    return v
  }

  /// Runs `body`, attaching the span of live node `source` to a tensor error.
  private func located<T>(_ source: Int?, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as TensorError {
      throw LocatedTensorError(error: error, span: source.flatMap { live.order[$0].span })
    }
  }
}

/// One fused kernel step with its C arguments prepared: a run sets the operands' data,
/// allocates the stored outputs and calls `lk_run`.
private final class KernelCall {
  let step: KernelStep
  private let program: lk_program
  private let instructions: UnsafeMutableBufferPointer<lk_insn>
  private let outputModes: UnsafeMutableBufferPointer<lk_output>
  private let shape: UnsafeMutableBufferPointer<Int64>
  private let strides: UnsafeMutableBufferPointer<Int64>
  private let operands: UnsafeMutableBufferPointer<lk_operand>
  private let outputs: UnsafeMutableBufferPointer<UnsafeMutableRawPointer?>
  private let sums: UnsafeMutableBufferPointer<Double>
  /// Whether each output is an `LK_SUM` (else it is stored: whole or one element per row).
  private let isSum: [Bool]
  /// For each output, the buffer it reuses every run (a scratch result), if any.
  private let scratch: [Tensor?]

  /// Prepares `step`, checking what `KernelProgram.run` checks on every call; results in
  /// slots marked in `isScratch` get a buffer of their own, reused by every run.
  init(_ step: KernelStep, isScratch: [Bool]) throws {
    let kernel = step.program
    guard step.operands.count == kernel.inputCount, step.strides.allSatisfy({ $0.count == step.shape.count }) else {
      throw TensorError("kernel program: operands do not match the program")
    }
    guard step.shape.count <= Int(LK_MAX_DIMS) else {
      throw TensorError("tensors of more than \(LK_MAX_DIMS) dimensions are not supported")
    }
    self.step = step
    let isSum = kernel.outputs.map { $0.mode == UInt8(LK_SUM.rawValue) }
    self.isSum = isSum
    scratch = try isSum.indices.map { i in
      guard i < step.results.count, isScratch[step.results[i]] else { return nil }
      return isSum[i]
        ? try Tensor(zeros: step.resultShapes[i], dtype: kernel.dtype)
        : try Tensor(uninitialized: step.resultShapes[i], dtype: kernel.dtype)
    }
    instructions = .allocate(capacity: kernel.instructions.count)
    _ = instructions.initialize(from: kernel.instructions)
    outputModes = .allocate(capacity: kernel.outputs.count)
    _ = outputModes.initialize(from: kernel.outputs)
    shape = .allocate(capacity: step.shape.count)
    _ = shape.initialize(from: step.shape.map(Int64.init))
    strides = .allocate(capacity: step.strides.count * step.shape.count)
    _ = strides.initialize(from: step.strides.joined().map(Int64.init))
    operands = .allocate(capacity: step.operands.count)
    let strideBase = strides.baseAddress
    _ = operands.initialize(from: step.operands.indices.map { i in
      lk_operand(data: nil, dtype: 0, strides: strideBase.map { $0 + i * step.shape.count })
    })
    outputs = .allocate(capacity: kernel.outputs.count)
    outputs.initialize(repeating: nil)
    sums = .allocate(capacity: kernel.outputs.count)
    sums.initialize(repeating: 0)
    program = lk_program(
      dtype: kernel.dtype.kernelCode, n_inputs: Int32(kernel.inputCount), n_outputs: Int32(kernel.outputs.count),
      n_regs: Int32(kernel.registerCount), n_insns: Int32(kernel.instructions.count),
      insns: instructions.baseAddress, outputs: outputModes.baseAddress, row_length: Int64(kernel.rowLength))
  }

  deinit {
    instructions.deallocate()
    outputModes.deallocate()
    shape.deallocate()
    strides.deallocate()
    operands.deallocate()
    outputs.deallocate()
    sums.deallocate()
  }

  /// Runs the kernel on its operand slots, filling its result slots.
  func run(_ slots: inout [Tensor?]) throws {
    for (i, slot) in step.operands.enumerated() {
      let t = try BoundPlan.value(slots, slot)
      operands[i].data = UnsafeRawPointer(t.storage.pointer)
      operands[i].dtype = t.dtype.kernelCode
    }
    let dtype = step.program.dtype
    // Stored outputs go straight to their slots (which keep them alive); one no step reads
    // is held here until the kernel has written it.
    var unread: [Tensor] = []
    for i in isSum.indices {
      sums[i] = 0
      if isSum[i] {
        outputs[i] = nil
        continue
      }
      let t = try scratch[i] ?? Tensor(uninitialized: step.resultShapes[i], dtype: dtype)
      outputs[i] = t.storage.pointer
      if i < step.results.count { slots[step.results[i]] = t } else { unread.append(t) }
    }
    let status = withExtendedLifetime(unread) {
      withUnsafePointer(to: program) {
        lk_run($0, Int32(step.shape.count), shape.baseAddress, operands.baseAddress, outputs.baseAddress, sums.baseAddress)
      }
    }
    try KernelStatus.check(status, "kernel program")
    for i in isSum.indices where isSum[i] && i < step.results.count {
      if let t = scratch[i] {
        t[flat: 0] = sums[i]
        slots[step.results[i]] = t
      } else {
        slots[step.results[i]] = try Tensor([sums[i]], shape: step.resultShapes[i], dtype: dtype)
      }
    }
  }
}
