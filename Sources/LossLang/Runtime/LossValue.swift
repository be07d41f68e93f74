/// A LossLang value handed to Swift: tensors are computed, functions are named.
public enum LossValue: Sendable, CustomStringConvertible {
  /// A computed tensor (numbers are 0-d tensors).
  case tensor(Tensor)
  /// A string.
  case string(String)
  /// A Bool.
  case bool(Bool)
  /// `none`.
  case none
  /// A list of values.
  case list([LossValue])
  /// A function, by signature.
  case function(String)

  /// The tensor, if this is one.
  public var tensor: Tensor? {
    if case .tensor(let t) = self { return t }
    return nil
  }

  /// The text LossLang's `print` would show.
  public var description: String {
    switch self {
    case .tensor(let t): t.shape.isEmpty ? TensorFormatter.scalar(t[flat: 0], dtype: t.dtype) : TensorFormatter.repr(t)
    case .string(let s): s
    case .bool(let b): b ? "true" : "false"
    case .none: "none"
    case .list(let xs): "[" + xs.map(\.description).joined(separator: ", ") + "]"
    case .function(let sig): "<function \(sig)>"
    }
  }
}

extension Evaluator {
  /// Converts a runtime value for Swift, computing tensors.
  func export(_ v: Value) throws -> LossValue {
    switch v {
    case .tensor(let n): return .tensor(try materialize(n))
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .none: return .none
    case .list(let xs): return .list(try xs.map(export))
    case .function(let f): return .function(f.signature)
    }
  }
}
