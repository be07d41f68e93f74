import LossLangPluginABI

/// Calls one native plugin op's C callbacks on float64 copies of tensors.
struct NativeKernel: Sendable {
  let name: String
  let context: UnsafeSendablePointer
  let shape: ll_shape_fn
  let forward: ll_forward_fn
  let vjp: ll_vjp_fn?

  /// The op's output for `inputs`, in their promoted dtype.
  @Sendable func forward(_ inputs: [Tensor]) throws -> Tensor {
    let dtype: DType = inputs.contains { $0.dtype == .float64 } ? .float64 : .float32
    return try withArrays(inputs) { arrays in
      var dims = [Int64](repeating: 0, count: Int(LOSSLANG_PLUGIN_MAX_DIMS))
      var ndim: Int32 = 0
      try call("shape") { error, size in shape(context.pointer, Int32(inputs.count), arrays, &dims, &ndim, error, size) }
      guard ndim >= 0, ndim <= LOSSLANG_PLUGIN_MAX_DIMS else { throw TensorError("plugin '\(name)': bad output rank \(ndim)") }
      let outShape = dims.prefix(Int(ndim)).map(Int.init)
      let output = try Tensor(zeros: outShape, dtype: .float64)
      try withArray(output) { out in
        try call("forward") { error, size in forward(context.pointer, Int32(inputs.count), arrays, &out, error, size) }
      }
      return try output.converted(to: dtype)
    }
  }

  /// The gradient with respect to input `index`.
  @Sendable func vjp(_ inputs: [Tensor], _ output: Tensor, _ cotangent: Tensor, _ index: Int) throws -> Tensor {
    guard let vjp else { throw TensorError("plugin '\(name)' has no gradient") }
    return try withArrays(inputs + [output, cotangent]) { arrays in
      let gradient = try Tensor(zeros: inputs[index].shape, dtype: .float64)
      try withArray(gradient) { grad in
        try call("vjp") { error, size in
          vjp(context.pointer, Int32(inputs.count), arrays, arrays + inputs.count, arrays + inputs.count + 1,
              Int32(index), &grad, error, size)
        }
      }
      return gradient
    }
  }

  /// Runs a callback with an error buffer; throws its message if it returns nonzero.
  private func call(_ what: String, _ body: (UnsafeMutablePointer<CChar>, Int32) -> Int32) throws {
    var buffer = [CChar](repeating: 0, count: 512)
    let status = buffer.withUnsafeMutableBufferPointer { b in
      b.baseAddress.map { body($0, Int32(b.count)) } ?? 1
    }
    guard status == 0 else {
      let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      throw TensorError(message.isEmpty ? "plugin '\(name)': \(what) failed (status \(status))" : message)
    }
  }

  /// Presents tensors (converted to float64) as `ll_array`s for the duration of `body`.
  private func withArrays<R>(_ tensors: [Tensor], _ body: (UnsafePointer<ll_array>) throws -> R) throws -> R {
    let copies = try tensors.map { try $0.converted(to: .float64) }
    let shapes = copies.map { $0.shape.map(Int64.init) }
    var arrays = copies.map { t in
      ll_array(data: t.storage.pointer.assumingMemoryBound(to: Double.self), shape: nil,
               ndim: Int32(t.shape.count), count: Int64(t.count))
    }
    return try withShapePointers(shapes, 0, &arrays) { arrays in
      try arrays.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { throw TensorError("plugin '\(name)': no inputs") }
        return try body(base)
      }
    }
  }

  /// Points each array's `shape` at its (pinned) shape buffer, recursively, then runs `body`.
  private func withShapePointers<R>(
    _ shapes: [[Int64]], _ i: Int, _ arrays: inout [ll_array], _ body: ([ll_array]) throws -> R
  ) throws -> R {
    if i == shapes.count { return try body(arrays) }
    return try shapes[i].withUnsafeBufferPointer { s in
      arrays[i].shape = s.baseAddress
      return try withShapePointers(shapes, i + 1, &arrays, body)
    }
  }

  /// Presents one float64 tensor as a writable `ll_array` for the duration of `body`.
  private func withArray(_ t: Tensor, _ body: (inout ll_array) throws -> Void) throws {
    let shape = t.shape.map(Int64.init)
    try shape.withUnsafeBufferPointer { s in
      var array = ll_array(
        data: t.storage.pointer.assumingMemoryBound(to: Double.self), shape: s.baseAddress,
        ndim: Int32(t.shape.count), count: Int64(t.count))
      try body(&array)
    }
  }
}
