import CLossKernel

/// Stored results written over a value their kernel reads for the last time: the gradient
/// of cross_entropy into the buffer of the exponentials it reads (`RowExpSharing`), as the
/// floor program writes `exp(x - max)` into the gradient and scales it there.
extension RowChain {
  /// Writes the results `inPlaceResults` finds into the buffers they take, with ordinary
  /// stores: those buffers' lines were just written, so they are in cache, where a
  /// non-temporal store would first have to evict them (W2: 4.8 ms streamed, 4.2 not).
  mutating func writeInPlace(readOutside: (Int) -> Bool) {
    inPlace = inPlaceResults(readOutside: readOutside)
    for (k, kernel) in kernels.enumerated() {
      for (i, result) in kernel.results.enumerated() where i < 64 && inPlace[result] != nil {
        unreadStores[k] &= ~(1 << UInt64(i))
      }
    }
  }

  /// The results each taking the buffer of a value (result → that value's slot): a value an
  /// earlier kernel of the chain stores, which no step outside the chain reads
  /// (`readOutside`, true for the plan's roots too), no view reshapes and no later kernel
  /// reads, read by the kernel storing the result element for element (contiguously, over
  /// the value's own shape and dtype), the result's register written only after the
  /// program's last read of the value (the tile VM may write that register straight into
  /// the output buffer) and no output reading the value.
  func inPlaceResults(readOutside: (Int) -> Bool) -> [Int: Int] {
    let viewed = Set(views.map(\.input))
    var stored: [Int: (kernel: Int, shape: [Int], dtype: DType)] = [:]
    var taken: [Int: Int] = [:]
    for (k, kernel) in kernels.enumerated() {
      for (i, result) in kernel.results.enumerated() where i < kernel.program.outputs.count {
        let mode = kernel.program.outputs[i].mode
        guard mode == UInt8(LK_STORE.rawValue), let value = buffer(for: i, of: k, stored: stored, taken: taken)
        else { continue }
        if !readOutside(value) && !viewed.contains(value) && !taken.values.contains(value) {
          taken[result] = value
        }
      }
      for (i, result) in kernel.results.enumerated() where i < kernel.program.outputs.count {
        let mode = kernel.program.outputs[i].mode
        if mode == UInt8(LK_STORE.rawValue) || mode == UInt8(LK_ROWEXP.rawValue) {
          stored[result] = (k, kernel.resultShapes[i], kernel.program.dtype)
        }
      }
    }
    return taken
  }

  /// A value whose buffer output `i` of kernel `k` can take (see `inPlaceResults`), or nil.
  private func buffer(for i: Int, of k: Int, stored: [Int: (kernel: Int, shape: [Int], dtype: DType)],
                      taken: [Int: Int]) -> Int? {
    let kernel = kernels[k], program = kernel.program
    let register = Int(program.outputs[i].reg)
    guard register >= program.inputCount, kernel.resultShapes[i] == kernel.shape else { return nil }
    let contiguous = Broadcast.strides(of: kernel.shape, over: kernel.shape)
    let firstWrite = program.instructions.firstIndex { Int($0.dst) == register } ?? program.instructions.count
    return kernel.operands.indices.lazy.compactMap { j -> Int? in
      let value = kernel.operands[j]
      let reads = kernel.operands.indices.filter { kernel.operands[$0] == value }
      guard let producer = stored[value], producer.shape == kernel.shape, producer.dtype == program.dtype,
        reads.allSatisfy({ kernel.strides[$0] == contiguous }),
        !self.kernels[(k + 1)...].contains(where: { $0.operands.contains(value) }),
        !program.outputs.contains(where: { reads.contains(Int($0.reg)) }),
        Self.lastRead(of: reads, in: program) < firstWrite
      else { return nil }
      return value
    }.first
  }

  /// The index of the last instruction of `program` reading one of `registers`, or -1.
  static func lastRead(of registers: [Int], in program: KernelProgram) -> Int {
    var last = -1
    for (k, insn) in program.instructions.enumerated() {
      let arity = Int(lk_opcode_arity(Int32(insn.op)))
      let sources = [insn.a, insn.b, insn.c].prefix(max(arity, 0)).map(Int.init)
      if sources.contains(where: registers.contains) { last = k }
    }
    return last
  }
}
