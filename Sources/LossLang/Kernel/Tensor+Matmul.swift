import CLossKernel

/// Batched matrix multiplication with broadcast batch axes.
extension Tensor {
  /// a: [..., n, k] times b: [..., k, m]; batch axes broadcast, dtype promoted. Large
  /// products run on the system BLAS when the thread's ``GEMMSetting`` allows it and one is
  /// installed.
  static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor {
    guard a.shape.count >= 2, b.shape.count >= 2 else {
      throw TensorError("matmul: shapes \(a.shape) and \(b.shape) must have at least 2 dimensions")
    }
    let (n, k) = (a.shape[a.shape.count - 2], a.shape[a.shape.count - 1])
    let (k2, m) = (b.shape[b.shape.count - 2], b.shape[b.shape.count - 1])
    guard k == k2 else {
      throw TensorError("matmul: shapes \(a.shape) and \(b.shape) are not aligned (\(k) != \(k2))")
    }
    let aBatch = Array(a.shape.dropLast(2)), bBatch = Array(b.shape.dropLast(2))
    let batch: [Int]
    do {
      batch = try Broadcast.shape(aBatch, bBatch)
    } catch {
      throw TensorError("matmul: batch dimensions of shapes \(a.shape) and \(b.shape) cannot be broadcast")
    }
    let dtype = DType.promoted(a.dtype, b.dtype)
    let (lhs, rhs) = (try a.converted(to: dtype), try b.converted(to: dtype))
    let result = try Tensor(uninitialized: batch + [n, m], dtype: dtype)
    let aOffsets = batchOffsets(aBatch, over: batch, matrix: n * k)
    let bOffsets = batchOffsets(bBatch, over: batch, matrix: k * m)
    let setting = GEMMSetting.current
    var usedBLAS: Int32 = 0
    let status = withExtendedLifetime((lhs, rhs)) {
      lk_matmul_with(
        Int32((setting?.path ?? LK_GEMM_OWN).rawValue), &usedBLAS, dtype.kernelCode, Int64(aOffsets.count),
        aOffsets, bOffsets, Int64(n), Int64(k), Int64(m), lhs.storage.pointer, Int64(k), 1, rhs.storage.pointer,
        Int64(m), 1, result.storage.pointer)
    }
    try KernelStatus.check(status, "matmul")
    if usedBLAS != 0 { setting?.recordSystemProduct() }
    return result
  }

  /// Element offset of each operand matrix, for every batch index of `batch` in C order.
  private static func batchOffsets(_ own: [Int], over batch: [Int], matrix: Int) -> [Int64] {
    let strides = Broadcast.strides(of: own, over: batch)
    var offsets: [Int64] = []
    offsets.reserveCapacity(batch.reduce(1, *))
    var index = [Int](repeating: 0, count: batch.count)
    for _ in 0..<batch.reduce(1, *) {
      offsets.append(Int64(zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 } * matrix))
      MultiIndex.advance(&index, within: batch)
    }
    return offsets
  }
}
