/// The element type of a tensor: LossLang computes in `float32` (default) or `float64`.
public enum DType: String, Sendable, CaseIterable {
  case float32
  case float64

  /// Bytes per element.
  public var itemSize: Int { self == .float32 ? 4 : 8 }

  /// The type both operands are computed in: float64 if either is, else float32.
  static func promoted(_ a: DType, _ b: DType) -> DType {
    a == .float64 || b == .float64 ? .float64 : .float32
  }
}
