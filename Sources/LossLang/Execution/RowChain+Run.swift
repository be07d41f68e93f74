import CLossKernel

/// Consecutive fused kernels whose iteration spaces share their leading axis (the rows),
/// run block of rows by block (`lk_run_chain`) so that the values they pass on, and the
/// inputs they all read, stay in cache between them.
///
/// `log_softmax` over (N, C) logits is three kernels (row maximum, row sum of exponentials,
/// the log-probabilities and their row sums); chained, the logits come from memory once.
/// The planner (`RowChainGrouping`) chains a kernel only if each of its row outputs lies
/// within one row of its space (`lk_run_chain` rejects others), and it reads every value the
/// chain's earlier kernels compute row by row (row r of its space reads row r of the value)
/// and no full sum of them (complete only after the last block); a reshape of a value the
/// chain computes is a view of a buffer allocated before the first block.
struct RowChain {
  /// The kernels, in order.
  let kernels: [KernelStep]
  /// The kernels with their C arguments prepared.
  let runners: [KernelRunner]
  /// Reshapes of values the chain computes, made before the first block: (slot, input slot, shape).
  let views: [(slot: Int, input: Int, shape: [Int])]
  /// Rows per block.
  let rowsPerBlock: Int
  /// Per kernel, a bit per output that no later kernel of the chain reads (directly or
  /// through a view): large stored ones then go to memory past the cache (`lk_chain_step.unread`),
  /// but for results written in place (`inPlace`), whose lines are in cache.
  var unreadStores: [UInt64]
  /// Results written into the buffer of a value read for the last time (result → that
  /// value's slot; `RowChain.inPlaceResults`).
  var inPlace: [Int: Int] = [:]

  /// Runs the chain on its operand slots, filling its result slots; large kernels as native
  /// code from `context.nativeKernels`, if any.
  func run(_ slots: inout [Tensor?], context: ExecutionContext) throws {
    // Every stored and row output, and the views of them, first: later kernels read them.
    for kernel in kernels {
      for (i, result) in kernel.results.enumerated() where kernel.program.outputs[i].mode != UInt8(LK_SUM.rawValue) {
        // A value's buffer, taken by a result, was allocated by an earlier kernel's result.
        slots[result] = try inPlace[result].flatMap { slots[$0] }
          ?? Tensor(uninitialized: kernel.resultShapes[i], dtype: kernel.program.dtype)
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
                program: runner.cProgram(context), ndim: Int32(kernel.shape.count), shape: runner.cShape,
                inputs: UnsafePointer(operands.baseAddress.map { $0 + i0 }),
                outputs: UnsafePointer(outputs.baseAddress.map { $0 + k0 }), sums: sums.baseAddress.map { $0 + k0 },
                unread: unreadStores[s])
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
