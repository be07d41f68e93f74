import CLossKernel

/// A tensor viewed over a program's output shape through element strides (0 broadcasts).
struct KernelOperand {
  /// The contiguous tensor read.
  let tensor: Tensor
  /// Element stride per output axis.
  let strides: [Int]

  /// Views `tensor` with explicit strides over the output shape.
  init(_ tensor: Tensor, strides: [Int]) {
    self.tensor = tensor
    self.strides = strides
  }

  /// Views `tensor` broadcast to `shape` (NumPy rules, already checked by the caller).
  init(broadcasting tensor: Tensor, to shape: [Int]) {
    self.init(tensor, strides: Broadcast.strides(of: tensor.shape, over: shape))
  }
}

/// A tile-VM program: instructions over typed registers, run by `lk_run` tile by tile.
///
/// Registers `0..<inputCount` hold the inputs (converted to `dtype` on load); the rest are
/// temporaries. Each output stores a register (`LK_STORE`), sums it in double (`LK_SUM`),
/// reduces each row of `rowLength` consecutive elements (`LK_ROWSUM`, `LK_ROWMAX`,
/// `LK_ROWSUMEXP`), reduces the rows' elements at each position (`LK_COLSUM`, `LK_COLMAX`,
/// `LK_COLSUMEXP`: one value per column), or stores the exponentials an `LK_ROWSUMEXP` sums
/// (`LK_ROWEXP`).
struct KernelProgram {
  /// Register and stored-output element type.
  let dtype: DType
  /// Number of input operands.
  let inputCount: Int
  /// Number of registers, inputs included.
  let registerCount: Int
  /// Instructions, run in order over each tile.
  let instructions: [lk_insn]
  /// Outputs: which register, and whether it is stored, summed or reduced by rows.
  let outputs: [lk_output]
  /// Elements per row of the row outputs (the trailing axes they reduce) and of the column
  /// outputs (the trailing axes they keep); 0 if none.
  var rowLength = 0

  /// A program computing one opcode over `arity` inputs into a stored output.
  static func single(_ op: lk_opcode, arity: Int, dtype: DType) -> KernelProgram {
    var insn = lk_insn()
    insn.op = UInt8(op.rawValue)
    insn.dst = UInt8(arity)
    insn.a = 0
    insn.b = 1
    insn.c = 2
    return KernelProgram(
      dtype: dtype, inputCount: arity, registerCount: arity + 1, instructions: [insn],
      outputs: [lk_output(reg: UInt8(arity), mode: UInt8(LK_STORE.rawValue))])
  }

  /// A program with no inputs that stores the constant `value`.
  static func fill(_ value: Double, dtype: DType) -> KernelProgram {
    var insn = lk_insn()
    insn.op = UInt8(LK_OP_CONST.rawValue)
    insn.imm = value
    return KernelProgram(
      dtype: dtype, inputCount: 0, registerCount: 1, instructions: [insn],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_STORE.rawValue))])
  }

  /// A program that stores its single input unchanged: a copy, cast or layout change.
  static func copy(dtype: DType) -> KernelProgram {
    KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 1, instructions: [],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_STORE.rawValue))])
  }

  /// Runs over the C-order output `shape`, returning the stored outputs (a row output is
  /// one-dimensional, one element per row) and the sums (one per output; 0 for the others).
  func run(shape: [Int], operands: [KernelOperand]) throws -> (stored: [Tensor], sums: [Double]) {
    guard operands.count == inputCount else { throw TensorError("kernel program: operands do not match the program") }
    let stored = try outputs.indices.compactMap { try storedOutput($0, shape: shape, resultShape: nil) }
    var sums = [Double](repeating: 0, count: outputs.count)
    try withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: outputs.count) { pointers in
      var next = 0
      for k in outputs.indices {
        pointers[k] = outputs[k].mode == UInt8(LK_SUM.rawValue) ? nil : stored[next].storage.pointer
        if pointers[k] != nil { next += 1 }
      }
      try withExtendedLifetime((operands, stored)) {
        try sums.withUnsafeMutableBufferPointer { sums in
          try launch(shape: shape, operand: { operands[$0] }, outputs: pointers.baseAddress, sums: sums.baseAddress)
        }
      }
    }
    return (stored, sums)
  }

  /// A new buffer for output `k` unless it is an `LK_SUM`: `resultShape` if given (same
  /// element count), else `shape` for a stored output (or `LK_ROWEXP`), one element per row for a row output
  /// and one per column for a column output.
  func storedOutput(_ k: Int, shape: [Int], resultShape: [Int]?) throws -> Tensor? {
    switch outputs[k].mode {
    case UInt8(LK_SUM.rawValue): return nil
    case UInt8(LK_STORE.rawValue), UInt8(LK_ROWEXP.rawValue):
      return try Tensor(uninitialized: resultShape ?? shape, dtype: dtype)
    case let mode where lk_output_mode(UInt32(mode)).reducesColumns:
      return try Tensor(uninitialized: resultShape ?? [rowLength], dtype: dtype)
    default:
      // Without a row length, lk_run rejects the program.
      let rows = rowLength > 0 ? try Tensor.elementCount(shape) / rowLength : 0
      return try Tensor(uninitialized: resultShape ?? [rows], dtype: dtype)
    }
  }

  /// Calls `lk_run` over the C-order output `shape`: operand `i` is `operand(i)`, stored output
  /// `k` goes to `outputs[k]` (nil for an `LK_SUM`), and sum `k` to `sums[k]`.
  ///
  /// The C arguments (shape, strides, program) are built on the stack, so a call allocates
  /// nothing. The caller keeps the operands' tensors and the outputs alive.
  func launch(
    shape: [Int], operand: (Int) throws -> KernelOperand,
    outputs pointers: UnsafePointer<UnsafeMutableRawPointer?>?, sums: UnsafeMutablePointer<Double>?
  ) throws {
    guard shape.count <= Int(LK_MAX_DIMS) else {
      throw TensorError("tensors of more than \(LK_MAX_DIMS) dimensions are not supported")
    }
    let n = shape.count
    // The shape, then each operand's strides.
    try withUnsafeTemporaryAllocation(of: Int64.self, capacity: n * (inputCount + 1)) { ints in
      for d in 0..<n { ints[d] = Int64(shape[d]) }
      var tensors: [Tensor] = []
      tensors.reserveCapacity(inputCount)
      for i in 0..<inputCount {
        let x = try operand(i)
        guard x.strides.count == n else { throw TensorError("kernel program: operands do not match the program") }
        for d in 0..<n { ints[n * (i + 1) + d] = Int64(x.strides[d]) }
        tensors.append(x.tensor)
      }
      try instructions.withUnsafeBufferPointer { insns in
        try outputs.withUnsafeBufferPointer { outs in
          var program = lk_program(
            dtype: dtype.kernelCode, n_inputs: Int32(inputCount), n_outputs: Int32(outputs.count),
            n_regs: Int32(registerCount), n_insns: Int32(instructions.count),
            insns: insns.baseAddress, outputs: outs.baseAddress, row_length: Int64(rowLength), native: nil, native_uniform: 0)
          try Self.launch(
            &program, shape: UnsafeBufferPointer(rebasing: ints[0..<n]), strides: ints.baseAddress.map { $0 + n },
            tensor: { tensors[$0] }, outputs: pointers, sums: sums)
        }
      }
    }
  }

  /// Calls `lk_run` with a C program whose operand `i` is `tensor(i)` read with the `shape.count`
  /// strides at `strides + i * shape.count`; outputs and sums as in `launch(shape:operand:outputs:sums:)`.
  /// The operand descriptors are built on the stack. The caller keeps the tensors alive.
  static func launch(
    _ program: UnsafePointer<lk_program>, shape: UnsafeBufferPointer<Int64>, strides: UnsafePointer<Int64>?,
    tensor: (Int) throws -> Tensor,
    outputs: UnsafePointer<UnsafeMutableRawPointer?>?, sums: UnsafeMutablePointer<Double>?
  ) throws {
    let count = Int(program.pointee.n_inputs), n = shape.count
    let status = try withUnsafeTemporaryAllocation(of: lk_operand.self, capacity: count) { cOperands in
      for i in 0..<count {
        let t = try tensor(i)
        cOperands[i] = lk_operand(
          data: UnsafeRawPointer(t.storage.pointer), dtype: t.dtype.kernelCode, strides: strides.map { $0 + i * n })
      }
      return lk_run(program, Int32(n), shape.baseAddress, cOperands.baseAddress, outputs, sums)
    }
    try KernelStatus.check(status, "kernel program")
  }

  /// Runs with every input broadcast to `shape` and returns the first stored output.
  func runStored(shape: [Int], inputs: [Tensor]) throws -> Tensor {
    let operands = inputs.map { KernelOperand(broadcasting: $0, to: shape) }
    guard let result = try run(shape: shape, operands: operands).stored.first else {
      throw TensorError("kernel program: no stored output")
    }
    return result
  }
}
