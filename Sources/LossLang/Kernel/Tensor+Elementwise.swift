import CLossKernel

/// Elementwise operations, casts and layout copies, each a one-instruction tile-VM program.
extension Tensor {
  /// Applies a unary op elementwise; same shape and dtype.
  func unary(_ op: UnaryOp) throws -> Tensor {
    try KernelProgram.single(op.opcode, arity: 1, dtype: dtype).runStored(shape: shape, inputs: [self])
  }

  /// Applies a binary op with NumPy broadcasting in the promoted dtype; comparisons give 0/1.
  static func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try Broadcast.shape(a.shape, b.shape)
    let dtype = DType.promoted(a.dtype, b.dtype)
    return try KernelProgram.single(op.opcode, arity: 2, dtype: dtype).runStored(shape: shape, inputs: [a, b])
  }

  /// where(cond != 0, a, b) with all three broadcast; dtype is promoted(a, b).
  static func select(_ cond: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
    let shape = try Broadcast.shape(try Broadcast.shape(cond.shape, a.shape), b.shape)
    let dtype = DType.promoted(a.dtype, b.dtype)
    // A tiny nonzero float64 condition would round to 0 in float32: compare in float64 first.
    let narrowing = cond.dtype == .float64 && dtype == .float32
    let mask = narrowing ? try binary(.notEqual, cond, Tensor(scalar: 0, dtype: .float64)) : cond
    return try KernelProgram.single(LK_OP_SELECT, arity: 3, dtype: dtype)
      .runStored(shape: shape, inputs: [mask, a, b])
  }

  /// A tensor of `shape` filled with `value`.
  static func full(_ shape: [Int], value: Double, dtype: DType) throws -> Tensor {
    guard value.bitPattern != 0 else { return try Tensor(zeros: shape, dtype: dtype) }
    return try KernelProgram.fill(value, dtype: dtype).runStored(shape: shape, inputs: [])
  }

  /// This tensor in another dtype (self if it already has it); to bool, nonzero is true.
  func converted(to dtype: DType) throws -> Tensor {
    guard dtype != self.dtype else { return self }
    if dtype == .bool {
      let nonzero = try Tensor.binary(.notEqual, self, Tensor(scalar: 0, dtype: self.dtype.storage))
      return try nonzero.converted(to: .float32).retagged(.bool)
    }
    if self.dtype == .bool, dtype == .float32 { return retagged(dtype) }
    return try KernelProgram.copy(dtype: dtype).runStored(shape: shape, inputs: [self])
  }

  /// A contiguous copy with axes reordered: result axis i is axis perm[i] of self.
  func permuted(_ perm: [Int]) throws -> Tensor {
    guard perm != Array(shape.indices) else { return self }
    if let (outer, a, b) = Self.blockSwap(perm, shape) {
      // Swapping two trailing axis groups (a transpose): cache-blocked, not strided.
      let result = try Tensor(uninitialized: perm.map { shape[$0] }, dtype: dtype)
      let status = withExtendedLifetime(self) {
        lk_transpose(dtype.kernelCode, Int64(outer), Int64(a), Int64(b), storage.pointer, result.storage.pointer)
      }
      try KernelStatus.check(status, "permute")
      return result
    }
    let own = Broadcast.contiguousStrides(shape)
    let operand = KernelOperand(self, strides: perm.map { own[$0] })
    guard let result = try KernelProgram.copy(dtype: dtype)
      .run(shape: perm.map { shape[$0] }, operands: [operand]).stored.first
    else { throw TensorError("permute: no result") }
    return result
  }

  /// (outer, a, b) when `perm` keeps the leading axes and swaps the two groups after them,
  /// [0..<p] + [k..<n] + [p..<k]: `shape` viewed as [outer, a, b] becomes [outer, b, a].
  static func blockSwap(_ perm: [Int], _ shape: [Int]) -> (outer: Int, a: Int, b: Int)? {
    let n = perm.count
    guard let p = perm.indices.first(where: { perm[$0] != $0 }) else { return nil }
    let k = perm[p]
    guard k > p, perm == Array(0..<p) + Array(k..<n) + Array(p..<k) else { return nil }
    return (shape[..<p].reduce(1, *), shape[p..<k].reduce(1, *), shape[k...].reduce(1, *))
  }

  /// A materialized NumPy expand to `shape`; throws if the shapes are incompatible.
  func broadcast(to shape: [Int]) throws -> Tensor {
    guard shape != self.shape else { return self }
    let merged = try? Broadcast.shape(self.shape, shape)
    guard merged == shape else { throw TensorError("cannot broadcast shape \(self.shape) to \(shape)") }
    return try KernelProgram.copy(dtype: dtype).runStored(shape: shape, inputs: [self])
  }
}
