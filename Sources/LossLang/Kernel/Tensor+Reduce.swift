import CLossKernel

/// Reductions over axes (sum, prod, max, min, logsumexp) and argmax / argmin.
extension Tensor {
  /// Reduces over `axes` (non-negative, sorted, unique); `[]` reduces nothing.
  /// Sums and products accumulate in double; max and min propagate NaN.
  func reduced(_ op: ReduceOp, axes: [Int], keepdims: Bool) throws -> Tensor {
    guard !axes.isEmpty else { return self }
    if op == .max || op == .min, axes.contains(where: { shape[$0] == 0 }) {
      throw TensorError("\(op) of an empty axis: shape \(shape), axes \(axes)")
    }
    return try reduceKernel(axes: axes, keepdims: keepdims, name: "\(op)") { mask, shape64, out in
      lk_reduce(dtype.kernelCode, op.code, Int32(shape.count), shape64, mask, storage.pointer, out)
    }
  }

  /// Stable log(sum(exp(x))) over `axes`, like torch.logsumexp (all -inf gives -inf).
  func logsumexp(axes: [Int], keepdims: Bool) throws -> Tensor {
    guard !axes.isEmpty else { return self }
    return try reduceKernel(axes: axes, keepdims: keepdims, name: "logsumexp") { mask, shape64, out in
      lk_logsumexp(dtype.kernelCode, Int32(shape.count), shape64, mask, storage.pointer, out)
    }
  }

  /// Index of the first maximum (or minimum), as a float of this dtype; NaN counts as
  /// the extreme. With `axis` nil, the flat index over all elements (0-d unless keepdims).
  func argReduce(max: Bool, axis: Int?, keepdims: Bool) throws -> Tensor {
    let name = max ? "argmax" : "argmin"
    let n = axis.map { shape[$0] } ?? count
    guard n > 0 else { throw TensorError("\(name) of an empty tensor of shape \(shape)") }
    let outer = axis.map { shape[..<$0].reduce(1, *) } ?? 1
    let inner = axis.map { shape[($0 + 1)...].reduce(1, *) } ?? 1
    let outShape: [Int]
    if let axis {
      outShape = Tensor.reducedShape(shape, axes: [axis], keepdims: keepdims)
    } else {
      outShape = keepdims ? shape.map { _ in 1 } : []
    }
    let result = try Tensor(uninitialized: outShape, dtype: dtype)
    let status = withExtendedLifetime(self) {
      lk_argreduce(
        dtype.kernelCode, max ? 1 : 0, Int64(outer), Int64(n), Int64(inner), storage.pointer,
        result.storage.pointer)
    }
    try KernelStatus.check(status, name)
    return result
  }

  /// The shape after reducing `axes`: kept as 1 with keepdims, else removed.
  static func reducedShape(_ shape: [Int], axes: [Int], keepdims: Bool) -> [Int] {
    let reduced = Set(axes)
    return shape.indices.compactMap { axis in
      reduced.contains(axis) ? (keepdims ? 1 : nil) : shape[axis]
    }
  }

  /// Allocates the reduced result and runs a mask-based reduction kernel into it.
  private func reduceKernel(
    axes: [Int], keepdims: Bool, name: String,
    _ kernel: (UnsafePointer<UInt8>, UnsafePointer<Int64>, UnsafeMutableRawPointer) -> lk_status
  ) throws -> Tensor {
    guard shape.count <= Int(LK_MAX_DIMS) else {
      throw TensorError("tensors of more than \(LK_MAX_DIMS) dimensions are not supported")
    }
    let result = try Tensor(uninitialized: Tensor.reducedShape(shape, axes: axes, keepdims: keepdims), dtype: dtype)
    let axisSet = Set(axes)
    let mask: [UInt8] = shape.indices.map { axisSet.contains($0) ? 1 : 0 }
    let shape64 = shape.map { Int64($0) }
    let status = withExtendedLifetime(self) {
      mask.withUnsafeBufferPointer { maskBuffer in
        shape64.withUnsafeBufferPointer { shapeBuffer in
          guard let m = maskBuffer.baseAddress, let s = shapeBuffer.baseAddress else { return LK_EINVAL }
          return kernel(m, s, result.storage.pointer)
        }
      }
    }
    try KernelStatus.check(status, name)
    return result
  }
}
