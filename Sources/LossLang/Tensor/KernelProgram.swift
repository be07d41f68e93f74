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
/// or reduces each row of `rowLength` consecutive elements (`LK_ROWSUM`, `LK_ROWMAX`).
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
  /// Elements per row of the row outputs (the trailing axes they reduce); 0 if none.
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
    guard operands.count == inputCount, operands.allSatisfy({ $0.strides.count == shape.count }) else {
      throw TensorError("kernel program: operands do not match the program")
    }
    guard shape.count <= Int(LK_MAX_DIMS) else {
      throw TensorError("tensors of more than \(LK_MAX_DIMS) dimensions are not supported")
    }
    let isStored = outputs.map { $0.mode != UInt8(LK_SUM.rawValue) }
    let rows = rowLength > 0 ? try Tensor.elementCount(shape) / rowLength : 0
    let stored = try outputs.filter({ $0.mode != UInt8(LK_SUM.rawValue) }).map { output in
      output.mode == UInt8(LK_STORE.rawValue)
        ? try Tensor(uninitialized: shape, dtype: dtype) : try Tensor(uninitialized: [rows], dtype: dtype)
    }
    var next = 0
    let outPointers: [UnsafeMutableRawPointer?] = isStored.map { isStored in
      guard isStored else { return nil }
      defer { next += 1 }
      return stored[next].storage.pointer
    }
    var sums = [Double](repeating: 0, count: outputs.count)
    let shape64 = shape.map { Int64($0) }
    let strides64 = operands.flatMap { $0.strides.map { Int64($0) } }
    let status = withExtendedLifetime((operands, stored)) {
      strides64.withUnsafeBufferPointer { strideBuffer in
        let cOperands = operands.indices.map { i in
          lk_operand(
            data: UnsafeRawPointer(operands[i].tensor.storage.pointer),
            dtype: operands[i].tensor.dtype.kernelCode,
            strides: strideBuffer.baseAddress.map { $0 + i * shape.count })
        }
        return instructions.withUnsafeBufferPointer { insns in
          outputs.withUnsafeBufferPointer { outs in
            var program = lk_program(
              dtype: dtype.kernelCode, n_inputs: Int32(inputCount), n_outputs: Int32(outputs.count),
              n_regs: Int32(registerCount), n_insns: Int32(instructions.count),
              insns: insns.baseAddress, outputs: outs.baseAddress, row_length: Int64(rowLength))
            return lk_run(&program, Int32(shape.count), shape64, cOperands, outPointers, &sums)
          }
        }
      }
    }
    try KernelStatus.check(status, "kernel program")
    return (stored, sums)
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
