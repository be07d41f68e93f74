/// A LossLang value handed to Swift: tensors are computed, functions are named.
public enum Value: Sendable, CustomStringConvertible {
  /// A computed tensor.
  case tensor(Tensor)
  /// A plain number: a literal, or arithmetic on literals only (`shape`, `numel`, loop
  /// counters); it has no dtype of its own until it meets a tensor.
  case number(Double)
  /// A string.
  case string(String)
  /// A Bool.
  case bool(Bool)
  /// `none`.
  case none
  /// A list of values.
  case list([Value])
  /// A function, by signature.
  case function(String)

  /// The tensor, if this is one.
  public var tensor: Tensor? {
    switch self {
    case .tensor(let t): return t
    case .number(let v): return Tensor(scalar: v, dtype: .float64)
    default: return nil
    }
  }

  /// Text for a plain number, as Python shows it: whole numbers without a fraction
  /// (`3`, like an int), others in shortest round-trip form (`0.30000000000000004`).
  static func numberText(_ v: Double) -> String {
    if v.rounded() == v, abs(v) < 1e16 { return String(Int64(v)) }
    return TensorFormatter.scalar(v, dtype: .float64)
  }

  /// The text LossLang's `print` would show.
  public var description: String {
    switch self {
    case .tensor(let t): t.shape.isEmpty ? TensorFormatter.scalar(t[flat: 0], dtype: t.dtype) : TensorFormatter.repr(t)
    case .number(let v): Self.numberText(v)
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
  func export(_ v: RuntimeValue) throws -> Value {
    switch v {
    case .tensor(let n):
      let t = try materialize(n)
      if n.isWeak, t.shape.isEmpty { return .number(t[flat: 0]) }
      return .tensor(t)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .none: return .none
    case .list(let xs): return .list(try xs.map(export))
    case .function(let f): return .function(f.signature)
    }
  }
}
