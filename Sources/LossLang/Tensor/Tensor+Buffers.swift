/// Creating tensors from Swift buffers and reading their elements without copying.
extension Tensor {
  /// A float32 tensor holding `values` in C order.
  public init(_ values: [Float], shape: [Int]) throws {
    try self.init(checkedUninitialized: shape, dtype: .float32, count: values.count)
    values.withUnsafeBufferPointer { src in
      let dst = storage.pointer.assumingMemoryBound(to: Float.self)
      if let base = src.baseAddress { dst.update(from: base, count: src.count) }
    }
  }

  /// A float32 tensor copied from a buffer of `Float` in C order.
  public init(_ buffer: UnsafeBufferPointer<Float>, shape: [Int]) throws {
    try self.init(Array(buffer), shape: shape)
  }

  /// A float64 tensor copied from a buffer of `Double` in C order.
  public init(_ buffer: UnsafeBufferPointer<Double>, shape: [Int]) throws {
    try self.init(Array(buffer), shape: shape, dtype: .float64)
  }

  /// The value of a 0-d (or one-element) tensor.
  public var scalar: Double? { scalarValue }

  /// Calls `body` with the float32 elements in C order (a bool tensor's are 0 and 1);
  /// throws if the tensor is float64.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
    guard dtype.storage == .float32 else { throw TensorError("the tensor is \(dtype.rawValue), not float32").located() }
    return try body(UnsafeBufferPointer(start: storage.pointer.assumingMemoryBound(to: Float.self), count: count))
  }

  /// Calls `body` with the float64 elements in C order; throws if the tensor is float32.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) throws -> R {
    guard dtype == .float64 else { throw TensorError("the tensor is \(dtype.rawValue), not float64").located() }
    return try body(UnsafeBufferPointer(start: storage.pointer.assumingMemoryBound(to: Double.self), count: count))
  }
}

/// The shape and dtype of a tensor, without its data: what ``Interpreter/compile(_:inputs:)``
/// needs to know about each input.
public struct TensorType: Sendable, Hashable, CustomStringConvertible {
  /// The size of each axis.
  public var shape: [Int]
  /// The element type.
  public var dtype: DType

  /// Creates a tensor type.
  public init(shape: [Int], dtype: DType = .float32) {
    self.shape = shape
    self.dtype = dtype
  }

  /// `float32[2, 3]`.
  public var description: String { "\(dtype.rawValue)\(shape)" }
}
