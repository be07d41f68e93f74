import CLossKernel

/// Exponentials shared along a row chain: a kernel computing `exp(x - m)`, where `m` is the
/// row maximum an earlier kernel computes beside its row sum of the exponentials of `x`
/// (`LK_ROWSUMEXP` and `LK_ROWMAX` of an input `x`), reads the exponentials that sum stores
/// (`LK_ROWEXP`) instead of computing them again: one exponential per element instead of
/// two (the gradients of softmax, log_softmax and cross_entropy).
///
/// The values keep their bits: the sum computes each `x - m` and its exponential as the
/// VM's `sub` and `exp` instructions do, from the row's maximum, which is the maximum the
/// later kernel reads (rows of at most `LK_TILE` elements, each summed in one segment).
enum RowExpSharing {
  /// `kernels` (run in this order) with such exponentials read instead of computed. The
  /// values stored for them get new slots from `nextSlot` on (which is advanced past them);
  /// `views` maps a reshaped value's slot to the slot it reshapes.
  static func shared(_ kernels: [KernelStep], views: [Int: Int], nextSlot: inout Int) -> [KernelStep] {
    var kernels = kernels
    for i in kernels.indices {
      for source in sources(in: kernels[i]) {
        var stored: Int?
        for j in kernels.indices where j > i && (stored != nil || kernels[i].program.outputs.count < Int(LK_MAX_REGS)) {
          let slot = stored ?? nextSlot
          guard let reading = reading(kernels[j], source: source, in: kernels[i], stored: slot, views: views) else {
            continue
          }
          kernels[j] = reading
          if stored == nil {
            stored = slot
            nextSlot += 1
            kernels[i] = storing(kernels[i], register: source.register, in: slot)
          }
        }
      }
    }
    return kernels
  }

  /// A row sum of exponentials a kernel can store the exponentials of: the input register
  /// summed, and the slots of its value and of the row maximum beside it.
  struct Source {
    let register: UInt8
    let value: Int
    let maximum: Int
  }

  /// The row sums of exponentials of `kernel` whose exponentials it can store.
  static func sources(in kernel: KernelStep) -> [Source] {
    let program = kernel.program
    guard program.rowLength > 0, program.rowLength <= Int(LK_TILE), kernel.results.count == program.outputs.count,
      program.outputs.allSatisfy({ $0.mode != UInt8(LK_ROWEXP.rawValue) })
    else { return [] }
    return program.outputs.compactMap { sum in
      guard sum.mode == UInt8(LK_ROWSUMEXP.rawValue), Int(sum.reg) < program.inputCount,
        let k = program.outputs.firstIndex(where: { $0.mode == UInt8(LK_ROWMAX.rawValue) && $0.reg == sum.reg })
      else { return nil }
      return Source(register: sum.reg, value: kernel.operands[Int(sum.reg)], maximum: kernel.results[k])
    }
  }

  /// `kernel` with the exponentials `source` sums stored into `slot` (an `LK_ROWEXP` output).
  static func storing(_ kernel: KernelStep, register: UInt8, in slot: Int) -> KernelStep {
    kernel.withOutputs(
      kernel.program.outputs + [lk_output(reg: register, mode: UInt8(LK_ROWEXP.rawValue))],
      results: kernel.results + [slot], resultShapes: kernel.resultShapes + [kernel.shape])
  }

  /// `kernel` reading the exponentials `source`'s kernel `producer` stores into `slot` (a new
  /// input) in place of each `exp(x - m)` it computes (and without the `x - m` nothing else
  /// reads), or nil if it computes none.
  static func reading(_ kernel: KernelStep, source: Source, in producer: KernelStep, stored slot: Int,
                      views: [Int: Int]) -> KernelStep? {
    let p = kernel.program
    guard kernel.shape == producer.shape, p.dtype == producer.program.dtype, p.registerCount < Int(LK_MAX_REGS)
    else { return nil }
    let exps = shiftedExps(in: kernel, source: source, producer: producer, views: views)
    guard !exps.isEmpty else { return nil }
    // The new input is register inputCount; the temporaries move up by one.
    let n = p.inputCount
    let moved = { (r: UInt8) -> UInt8 in Int(r) < n ? r : r + 1 }
    var alias: [UInt8: UInt8] = [:]  // a register whose value is now the new input's
    var instructions: [lk_insn] = []
    for (k, old) in p.instructions.enumerated() {
      var insn = old
      let arity = Int(lk_opcode_arity(Int32(old.op)))
      if arity > 0 { insn.a = alias[old.a] ?? moved(old.a) }
      if arity > 1 { insn.b = alias[old.b] ?? moved(old.b) }
      if arity > 2 { insn.c = alias[old.c] ?? moved(old.c) }
      alias[old.dst] = exps.contains(k) ? UInt8(n) : nil
      guard !exps.contains(k) else { continue }
      insn.dst = moved(old.dst)
      instructions.append(insn)
    }
    let outputs = p.outputs.map { lk_output(reg: alias[$0.reg] ?? moved($0.reg), mode: $0.mode) }
    var program = KernelProgram(
      dtype: p.dtype, inputCount: n + 1, registerCount: p.registerCount + 1, instructions: instructions,
      outputs: outputs)
    program.rowLength = p.rowLength
    return KernelStep(
      program: program.withoutDeadInstructions(), shape: kernel.shape, operands: kernel.operands + [slot],
      strides: kernel.strides + [Broadcast.strides(of: kernel.shape, over: kernel.shape)],
      results: kernel.results, resultShapes: kernel.resultShapes, source: kernel.source)
  }

  /// The instructions of `kernel` computing `exp(x - m)` with `x` read as `producer` reads
  /// `source`'s value and `m` its row maximum broadcast along the rows.
  static func shiftedExps(in kernel: KernelStep, source: Source, producer: KernelStep, views: [Int: Int]) -> Set<Int> {
    let subs = shiftedValues(in: kernel, source: source, producer: producer, views: views)
    var exps = Set<Int>()
    for (k, insn) in kernel.program.instructions.enumerated()
    where insn.op == UInt8(LK_OP_EXP.rawValue) && subs.contains(writer(of: insn.a, before: k, in: kernel.program)) {
      exps.insert(k)
    }
    return exps
  }

  /// The instruction of `program` that last wrote register `r` before instruction `k` (the
  /// program's end if `k` is its instruction count), else `-1 - r` (an input's value).
  static func writer(of r: UInt8, before k: Int, in program: KernelProgram) -> Int {
    program.instructions[..<k].lastIndex { $0.dst == r } ?? -1 - Int(r)
  }

  /// The instructions of `kernel` computing `x - m` with `x` read as `producer` reads
  /// `source`'s value and `m` its row maximum broadcast along the rows.
  static func shiftedValues(in kernel: KernelStep, source: Source, producer: KernelStep, views: [Int: Int]) -> Set<Int> {
    let p = kernel.program
    let xStrides = producer.strides[Int(source.register)]
    let inputs = 0..<p.inputCount
    let xs = Set(inputs.filter { kernel.operands[$0] == source.value && kernel.strides[$0] == xStrides })
    let rowStrides = rowBroadcast(kernel.shape, rowLength: producer.program.rowLength)
    let ms = Set(inputs.filter {
      var slot = kernel.operands[$0]
      while slot != source.maximum, let input = views[slot] { slot = input }
      return slot == source.maximum && walks(kernel.strides[$0], like: rowStrides, over: kernel.shape)
    })
    return Set(p.instructions.indices.filter { k in
      let insn = p.instructions[k]
      return insn.op == UInt8(LK_OP_SUB.rawValue) && xs.contains(-1 - writer(of: insn.a, before: k, in: p))
        && ms.contains(-1 - writer(of: insn.b, before: k, in: p))
    })
  }

  /// The strides reading one value per row of `rowLength` trailing elements of `shape`
  /// (contiguous, one per row) at every element of that row; nil if no trailing axes make
  /// up such rows.
  static func rowBroadcast(_ shape: [Int], rowLength: Int) -> [Int]? {
    var count = 1
    for axis in shape.indices.reversed() {
      if count == rowLength {
        let kept = Array(shape[..<(axis + 1)]) + Array(repeating: 1, count: shape.count - axis - 1)
        return Broadcast.strides(of: kept, over: shape)
      }
      count *= shape[axis]
    }
    return count == rowLength ? Array(repeating: 0, count: shape.count) : nil
  }

  /// Whether `strides` walk `shape` as `expected` does (axes of one element aside).
  static func walks(_ strides: [Int], like expected: [Int]?, over shape: [Int]) -> Bool {
    guard let expected, strides.count == shape.count, expected.count == shape.count else { return false }
    return shape.indices.allSatisfy { shape[$0] == 1 || strides[$0] == expected[$0] }
  }
}
