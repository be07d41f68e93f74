/// The element type of a tensor: LossLang computes in `float32` (default) or `float64`;
/// `bool` holds masks (comparisons, `!`, `&&`, `||`).
///
/// A bool tensor is stored as float32 0/1 (see ``storage``): every kernel computes on it
/// as float32, and only the tensor and graph carry the `bool` tag.
public enum DType: String, Sendable, CaseIterable {
  case float32
  case float64
  case bool

  /// The dtype the elements are stored and computed in, and the one arithmetic on them
  /// gives: bool is float32 0/1 (bool promotes to float32 as in PyTorch).
  var storage: DType { self == .bool ? .float32 : self }

  /// Bytes per element.
  public var itemSize: Int { storage == .float32 ? 4 : 8 }

  /// A small integer for plan keys: distinct for each dtype.
  var code: Int {
    switch self {
    case .float32: 0
    case .float64: 1
    case .bool: 2
    }
  }

  /// The type both operands are computed in: the common dtype if they agree, else float64
  /// if either is, else float32 (bool with float32 is float32).
  static func promoted(_ a: DType, _ b: DType) -> DType {
    if a == b { return a }
    return a == .float64 || b == .float64 ? .float64 : .float32
  }
}
