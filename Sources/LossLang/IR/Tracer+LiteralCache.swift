/// 0-d constant tensors for literals, shared by the nodes that hold the same number.
///
/// Every number a program or a gradient rule writes (`2` in `x^2`, the `1` seeding a
/// gradient, `shape(x)`'s sizes) becomes a constant node; its tensor would otherwise be a
/// fresh 64-byte-aligned buffer each time. Tensors are immutable, so nodes may share one;
/// the nodes themselves stay distinct (a gradient refers to a node, not to its value).
struct LiteralCache {
  /// Direct-mapped: a number's slot is a hash of its bits and dtype.
  private var entries = [(bits: UInt64, dtype: DType, tensor: Tensor)?](repeating: nil, count: 64)

  /// A 0-d tensor of `dtype` holding `value`.
  mutating func tensor(_ value: Double, _ dtype: DType) -> Tensor {
    let bits = value.bitPattern
    let key = bits ^ (dtype == .float32 ? 0x5555 : 0)
    let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 58)
    if let e = entries[slot], e.bits == bits, e.dtype == dtype { return e.tensor }
    let t = Tensor(scalar: value, dtype: dtype)
    entries[slot] = (bits, dtype, t)
    return t
  }
}
