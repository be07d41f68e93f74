import CLossKernel

/// Reshape, flat gather and scatter-add, and concatenation.
extension Tensor {
  /// The same elements under another shape of equal size, sharing storage.
  func reshaped(_ shape: [Int]) throws -> Tensor {
    guard try Tensor.elementCount(shape) == count else {
      throw TensorError("cannot reshape a tensor of shape \(self.shape) to \(shape)")
    }
    return Tensor(shape: shape, dtype: dtype, storage: storage)
  }

  /// out.flat[i] = self.flat[indices[i]], shaped `shape` (product == indices.count).
  func gathered(_ indices: [Int], shape: [Int]) throws -> Tensor {
    guard try Tensor.elementCount(shape) == indices.count else {
      throw TensorError("gather: \(indices.count) indices do not fill shape \(shape)")
    }
    let result = try Tensor(uninitialized: shape, dtype: dtype)
    let status = withExtendedLifetime(self) {
      indices.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: Int64.self) { idx in
          lk_gather(
            dtype.kernelCode, storage.pointer, Int64(count), idx.baseAddress, Int64(idx.count),
            result.storage.pointer)
        }
      }
    }
    try KernelStatus.check(status, "gather: index out of range")
    return result
  }

  /// zeros(shape, src.dtype) with out.flat[indices[i]] += src.flat[i], in order.
  static func scatterAdd(_ src: Tensor, indices: [Int], shape: [Int]) throws -> Tensor {
    guard src.count == indices.count else {
      throw TensorError("scatter-add: \(indices.count) indices for \(src.count) values")
    }
    let result = try Tensor(zeros: shape, dtype: src.dtype)
    let status = withExtendedLifetime(src) {
      indices.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: Int64.self) { idx in
          lk_scatter_add(
            src.dtype.kernelCode, src.storage.pointer, idx.baseAddress, Int64(idx.count),
            result.storage.pointer, Int64(result.count))
        }
      }
    }
    try KernelStatus.check(status, "scatter-add: index out of range")
    return result
  }

  /// Joins `parts` along `axis` (already validated); other axes must match; dtype promoted.
  static func concat(_ parts: [Tensor], axis: Int) throws -> Tensor {
    guard let first = parts.first else { throw TensorError("concat: no tensors to join") }
    for part in parts {
      let matches = part.shape.count == first.shape.count
        && part.shape.indices.allSatisfy { $0 == axis || part.shape[$0] == first.shape[$0] }
      guard matches else {
        throw TensorError("concat: shapes \(first.shape) and \(part.shape) differ outside axis \(axis)")
      }
    }
    let dtype = parts.map(\.dtype).reduce(first.dtype, DType.promoted)
    let converted = try parts.map { try $0.converted(to: dtype) }
    var shape = first.shape
    shape[axis] = converted.reduce(0) { $0 + $1.shape[axis] }
    let result = try Tensor(uninitialized: shape, dtype: dtype)
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    let rowBytes = converted.map { Int64($0.shape[axis] * inner * dtype.itemSize) }
    let pointers: [UnsafeRawPointer?] = converted.map { UnsafeRawPointer($0.storage.pointer) }
    let status = withExtendedLifetime(converted) {
      lk_concat(Int64(outer), Int32(converted.count), pointers, rowBytes, result.storage.pointer)
    }
    try KernelStatus.check(status, "concat")
    return result
  }
}
