/// A dense n-dimensional array of `float32`, `float64` or `bool` in C (row-major) order.
///
/// Tensors are immutable values: every operation returns a new tensor, so sharing a
/// buffer between tensors is safe. Element access is through `Double` for simplicity;
/// bulk work goes through the C kernel.
public struct Tensor: Sendable {
  /// The size of each axis; `[]` for a 0-d (scalar) tensor.
  public let shape: [Int]
  /// The element type.
  public let dtype: DType
  /// The buffer, `count * dtype.itemSize` bytes long.
  let storage: TensorStorage

  /// The number of elements (1 for a 0-d tensor).
  public var count: Int { shape.reduce(1, *) }

  /// Allocates a zero-filled tensor, throwing for negative sizes or absurd allocations.
  init(zeros shape: [Int], dtype: DType) throws {
    let bytes = try Tensor.byteCount(shape, dtype)
    self.init(shape: shape, dtype: dtype, storage: try TensorStorage(byteCount: bytes))
  }

  /// Allocates a tensor with undefined elements, for a kernel that writes every one of them
  /// before anything reads it; throws like ``init(zeros:dtype:)``.
  init(uninitialized shape: [Int], dtype: DType) throws {
    let bytes = try Tensor.byteCount(shape, dtype)
    self.init(shape: shape, dtype: dtype, storage: try TensorStorage(uninitializedByteCount: bytes))
  }

  /// Creates a tensor from values in C order; `values.count` must equal the shape's size.
  public init(_ values: [Double], shape: [Int], dtype: DType = .float32) throws {
    try self.init(checkedUninitialized: shape, dtype: dtype, count: values.count)
    switch dtype {
    case .float32:
      let p = storage.pointer.assumingMemoryBound(to: Float.self)
      for (i, v) in values.enumerated() { p[i] = Float(v) }
    case .bool:
      let p = storage.pointer.assumingMemoryBound(to: Float.self)
      for (i, v) in values.enumerated() { p[i] = v != 0 ? 1 : 0 }
    case .float64:
      let p = storage.pointer.assumingMemoryBound(to: Double.self)
      for (i, v) in values.enumerated() { p[i] = v }
    }
  }

  /// Allocates an uninitialized tensor that a public initializer fills with `count` values,
  /// reporting problems (including a count that does not fill the shape) as ``LossLangError``.
  init(checkedUninitialized shape: [Int], dtype: DType, count: Int) throws {
    do { try self.init(uninitialized: shape, dtype: dtype) } catch let e as TensorError {
      throw e.located()
    }
    guard count == self.count else {
      throw TensorError("\(count) values do not fill shape \(shape)").located()
    }
  }

  /// A 0-d tensor holding one number.
  public init(scalar value: Double, dtype: DType = .float32) {
    self.shape = []
    self.dtype = dtype
    self.storage = TensorStorage(checkedByteCount: dtype.itemSize)
    self[flat: 0] = value
  }

  /// Wraps an existing buffer (used by kernels and readers).
  init(shape: [Int], dtype: DType, storage: TensorStorage) {
    self.shape = shape
    self.dtype = dtype
    self.storage = storage
  }

  /// The element at a flat C-order position, as a Double (a bool is 0 or 1; setting one
  /// stores whether the value is nonzero).
  public internal(set) subscript(flat index: Int) -> Double {
    get {
      switch dtype {
      case .float32, .bool: Double(storage.pointer.assumingMemoryBound(to: Float.self)[index])
      case .float64: storage.pointer.assumingMemoryBound(to: Double.self)[index]
      }
    }
    nonmutating set {
      switch dtype {
      case .float32: storage.pointer.assumingMemoryBound(to: Float.self)[index] = Float(newValue)
      case .bool: storage.pointer.assumingMemoryBound(to: Float.self)[index] = newValue != 0 ? 1 : 0
      case .float64: storage.pointer.assumingMemoryBound(to: Double.self)[index] = newValue
      }
    }
  }

  /// The same elements tagged with `dtype` when it shares this tensor's storage dtype
  /// (bool ↔ float32 0/1), without a copy; otherwise self.
  func retagged(_ dtype: DType) -> Tensor {
    guard dtype != self.dtype, dtype.storage == self.dtype.storage else { return self }
    return Tensor(shape: shape, dtype: dtype, storage: storage)
  }

  /// All elements in C order, as Doubles.
  public var scalars: [Double] { (0..<count).map { self[flat: $0] } }

  /// The single element of a one-element tensor, or nil.
  public var scalarValue: Double? { count == 1 ? self[flat: 0] : nil }

  /// The bytes of a tensor of `shape` and `dtype`, or an error if the size overflows.
  static func byteCount(_ shape: [Int], _ dtype: DType) throws -> Int {
    let (bytes, overflow) = try elementCount(shape).multipliedReportingOverflow(by: dtype.itemSize)
    guard !overflow else { throw TensorError("cannot allocate a tensor of shape \(shape): too large") }
    return bytes
  }

  /// The number of elements of `shape`: the one check every size computation relies on.
  ///
  /// Every axis must be non-negative and the product of the nonzero axes must fit in an
  /// `Int`, so that any product of some of the axes (a stride, an outer or inner count)
  /// cannot overflow either, even when another axis is 0 and the tensor is empty.
  static func elementCount(_ shape: [Int]) throws -> Int {
    var nonzero = 1
    var isEmpty = false
    for d in shape {
      guard d >= 0 else { throw TensorError("negative dimension \(d) in shape \(shape)") }
      if d == 0 { isEmpty = true; continue }
      let (m, overflow) = nonzero.multipliedReportingOverflow(by: d)
      guard !overflow else { throw TensorError("cannot allocate a tensor of shape \(shape): too large") }
      nonzero = m
    }
    return isEmpty ? 0 : nonzero
  }
}
