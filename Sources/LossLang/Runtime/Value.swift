/// A LossLang value as Swift sees it: results of ``Interpreter/eval(_:)`` and
/// ``Interpreter/call(_:_:keywords:)``, and arguments passed to `call`.
///
/// Tensors are computed (no pending graph); numbers are LossLang's weakly typed literals.
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
  /// A dict with string keys, in insertion order.
  case dict(OrderedDict<Value>)
  /// A function (callable again through ``Interpreter/call(_:_:keywords:)`` by name, or
  /// passed back as an argument).
  case function(FunctionReference)
  /// An optimizer with its state (passed back as an argument, it is the same optimizer).
  case optimizer(OptimizerReference)

  /// The tensor, if this is one.
  public var tensor: Tensor? {
    switch self {
    case .tensor(let t): return t
    case .number(let v): return Tensor(scalar: v, dtype: .float64)
    default: return nil
    }
  }

  /// The text LossLang's `print` would show.
  public var description: String {
    switch self {
    case .tensor(let t): t.shape.isEmpty ? TensorFormatter.scalar(t[flat: 0], dtype: t.dtype) : TensorFormatter.repr(t)
    case .number(let v): TensorFormatter.number(v)
    case .string(let s): s
    case .bool(let b): b ? "true" : "false"
    case .none: "none"
    case .list(let xs): "[" + xs.map(\.description).joined(separator: ", ") + "]"
    case .dict(let d): Self.dictText(d) { $0.description }
    case .function(let f): "<function \(f.signature)>"
    case .optimizer(let o): o.description
    }
  }
}

extension Evaluator {
  /// Converts a runtime value for Swift, computing tensors.
  func export(_ v: RuntimeValue) throws -> Value {
    try force(v)
    return try exportComputed(v)
  }

  /// Converts a value whose tensors are all computed.
  private func exportComputed(_ v: RuntimeValue) throws -> Value {
    switch v {
    case .tensor(let n):
      let t = try materialize(n)
      if n.isWeak, t.shape.isEmpty { return .number(t[flat: 0]) }
      return .tensor(t)
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .none: return .none
    case .list(let xs): return .list(try xs.map(exportComputed))
    case .dict(let d): return .dict(try d.mapValues(exportComputed))
    case .function(let f): return .function(FunctionReference(f))
    case .optimizer(let o): return .optimizer(OptimizerReference(o))
    }
  }

  /// Converts a Swift value for LossLang (tensors become constants, numbers literals).
  func runtimeValue(_ v: Value) -> RuntimeValue {
    switch v {
    case .tensor(let t): return .tensor(Node(constant: t))
    case .number(let x): return .tensor(tracer.weakScalar(x))
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .none: return .none
    case .list(let xs): return .list(xs.map(runtimeValue))
    case .dict(let d): return .dict(d.mapValues(runtimeValue))
    case .function(let f): return .function(f.function)
    case .optimizer(let o): return .optimizer(o.optimizer)
    }
  }
}

extension Value {
  /// The number, if this is a number or a one-element tensor.
  public var number: Double? {
    switch self {
    case .number(let v): v
    case .tensor(let t): t.scalarValue
    default: nil
    }
  }

  /// The string, if this is one.
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The Bool, if this is one.
  public var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The text `print` shows, except that strings (also inside lists) are written as
  /// LossLang string literals: `"a\"b"` rather than `a"b`. The REPL echoes values this way.
  public var literalDescription: String {
    switch self {
    case .string(let s): ASTPrinter.quote(s)
    case .list(let items): "[" + items.map(\.literalDescription).joined(separator: ", ") + "]"
    case .dict(let d): Self.dictText(d) { $0.literalDescription }
    default: description
    }
  }

  /// The items, if this is a list.
  public var list: [Value]? {
    if case .list(let xs) = self { return xs }
    return nil
  }

  /// The entries, if this is a dict.
  public var dict: OrderedDict<Value>? {
    if case .dict(let d) = self { return d }
    return nil
  }

  /// `{"w": …, "b": …}`: quoted keys, each value as `text` renders it.
  static func dictText<T>(_ d: OrderedDict<T>, _ text: (T) throws -> String) rethrows -> String {
    "{" + (try d.pairs.map { ASTPrinter.quote($0.key) + ": " + (try text($0.value)) }).joined(separator: ", ") + "}"
  }
}

/// A LossLang function held by Swift code.
public struct FunctionReference: @unchecked Sendable, CustomStringConvertible {
  let function: Function

  init(_ function: Function) { self.function = function }

  /// The function's name (`<lambda>` for lambdas).
  public var name: String { function.name }
  /// `name(a, b=2)`, as `help` shows it.
  public var signature: String { function.signature }
  /// `<function name(a, b=2)>`.
  public var description: String { "<function \(signature)>" }
}
