import LossLang

/// How the REPL shows a value: like `print`, with strings quoted, and a shape/dtype line
/// for tensors too large to show in full.
enum ValueDisplay {
  /// Elements above which the tensor repr is summarized with "..." (as PyTorch's threshold).
  static let summaryThreshold = 1000

  /// The text for a value, or nil for `none` (which the REPL does not echo).
  static func text(_ value: Value) -> String? {
    switch value {
    case .none: return nil
    case .tensor(let t) where t.count > summaryThreshold:
      return value.description + "\n# shape " + tuple(t.shape) + ", " + t.dtype.rawValue
    default: return value.literalDescription
    }
  }

  /// A shape as Python writes a tuple: `()`, `(3,)`, `(2, 3)`.
  static func tuple(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }
}
