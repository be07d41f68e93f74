import CLossKernel

/// Row sums of shifted values computed by the pass that shifts them: a kernel's row sum of
/// `x - m`, where `m` is the row maximum an earlier kernel of a row chain computes beside its
/// row sum of the exponentials of `x` (`LK_ROWSUMEXP` and `LK_ROWMAX` of an input `x`),
/// becomes an `LK_ROWSUMSHIFT` output of that earlier kernel, which then sums each row's
/// `x - m` while the row is in L1 (cross_entropy's label smoothing sums the log-probabilities
/// `x - m - log(Σ exp(x - m))`). The later kernel no longer sums it, nor computes `x - m` if
/// nothing else there reads it.
///
/// The values keep their bits: the earlier kernel computes each `x - m` as the `sub`
/// instruction does, from the row's maximum (rows of at most `LK_TILE` elements, each summed in
/// one segment), and sums them in `LK_ROWSUM`'s order.
enum RowShiftedSumSharing {
  /// `kernels` (run in this order) with such row sums moved; `views` maps a reshaped value's
  /// slot to the slot it reshapes.
  static func shared(_ kernels: [KernelStep], views: [Int: Int]) -> [KernelStep] {
    var kernels = kernels
    for i in kernels.indices {
      for source in RowExpSharing.sources(in: kernels[i]) {
        for j in kernels.indices where j > i {
          let sums = shiftedSums(in: kernels[j], source: source, producer: kernels[i], views: views)
          guard !sums.isEmpty, sums.count < kernels[j].program.outputs.count,
            kernels[i].program.outputs.count + sums.count <= Int(LK_MAX_REGS)
          else { continue }
          kernels[i] = adding(sums.map { (kernels[j].results[$0], kernels[j].resultShapes[$0]) }, to: kernels[i],
                              register: source.register)
          kernels[j] = removing(sums, from: kernels[j])
        }
      }
    }
    return kernels
  }

  /// The outputs of `kernel` that are row sums of `x - m` (as `RowExpSharing.shiftedValues`
  /// finds them) over the rows `producer` reduces.
  static func shiftedSums(in kernel: KernelStep, source: RowExpSharing.Source, producer: KernelStep,
                          views: [Int: Int]) -> [Int] {
    let p = kernel.program
    guard kernel.shape == producer.shape, p.dtype == producer.program.dtype, p.rowLength == producer.program.rowLength
    else { return [] }
    let subs = RowExpSharing.shiftedValues(in: kernel, source: source, producer: producer, views: views)
    let end = p.instructions.count
    return p.outputs.indices.filter { k in
      p.outputs[k].mode == UInt8(LK_ROWSUM.rawValue)
        && subs.contains(RowExpSharing.writer(of: p.outputs[k].reg, before: end, in: p))
    }
  }

  /// `kernel` with `LK_ROWSUMSHIFT` outputs of input `register` into each of `results`.
  static func adding(_ results: [(slot: Int, shape: [Int])], to kernel: KernelStep, register: UInt8) -> KernelStep {
    kernel.withOutputs(
      kernel.program.outputs + results.map { _ in lk_output(reg: register, mode: UInt8(LK_ROWSUMSHIFT.rawValue)) },
      results: kernel.results + results.map(\.slot), resultShapes: kernel.resultShapes + results.map(\.shape))
  }

  /// `kernel` without the outputs `removed`, nor the instructions only they needed.
  static func removing(_ removed: [Int], from kernel: KernelStep) -> KernelStep {
    let kept = kernel.program.outputs.indices.filter { !removed.contains($0) }
    return kernel.withOutputs(
      kept.map { kernel.program.outputs[$0] }, results: kept.map { kernel.results[$0] },
      resultShapes: kept.map { kernel.resultShapes[$0] })
  }
}
