/// The meaning of LossLang's operators on values: tensor arithmetic with broadcasting,
/// string concatenation, equality of non-tensors, logical connectives.
extension Evaluator {
  /// `-x` and `!x`.
  func unaryOperator(_ op: UnaryOperator, _ v: RuntimeValue) throws -> RuntimeValue {
    switch (op, v) {
    case (.not, .bool(let b)): return .bool(!b)
    case (.not, .none): return .bool(true)
    case (.negate, _), (.not, _):
      guard let x = try tensorValue(v) else {
        throw LossLangError(.runtime, "cannot apply '\(op.rawValue)' to a \(v.typeName)")
      }
      return .tensor(op == .negate ? tracer.neg(x) : try tracer.compare(.equal, x, tracer.scalar(0, x.dtype)))
    }
  }

  /// The longest string `+` may build: doubling a string in a loop must end in an error,
  /// not in exhausting memory.
  static let maxStringBytes = 1 << 26
  /// The longest list `+` may build.
  static let maxListItems = 1 << 22

  /// Throws unless a concatenation result of `size` stays within `limit`.
  private func checkConcatenation(_ size: Int, limit: Int, of what: String, _ unit: String) throws {
    guard size > limit else { return }
    throw LossLangError(.runtime, "'+' would make \(what) \(size) \(unit); the limit is \(limit)")
  }

  /// `a op b` for every operator except the short-circuiting `&&` and `||`.
  func binaryOperator(_ op: BinaryOperator, _ a: RuntimeValue, _ b: RuntimeValue) throws -> RuntimeValue {
    switch (op, a, b) {
    case (.add, .string(let x), .string(let y)):
      try checkConcatenation(x.utf8.count + y.utf8.count, limit: Self.maxStringBytes, of: "a string of", "bytes")
      return .string(x + y)
    case (.add, .list(let x), .list(let y)):
      try checkConcatenation(x.count + y.count, limit: Self.maxListItems, of: "a list of", "items")
      return .list(x + y)
    case (.equal, _, _) where comparesStructurally(a, b):
      try checkWalkable(a)
      return .bool(sameValue(a, b))
    case (.notEqual, _, _) where comparesStructurally(a, b):
      try checkWalkable(a)
      return .bool(!sameValue(a, b))
    default: break
    }
    guard let x = try tensorValue(a), let y = try tensorValue(b) else {
      let kinds = "\(a.typeName) and \(b.typeName)"
      if op == .add, case .string = a { throw LossLangError(.runtime, "cannot add string and \(b.typeName): use str(x) to convert") }
      throw LossLangError(.runtime, "operator '\(op.rawValue)' cannot be applied to \(kinds)")
    }
    let t = tracer
    switch op {
    case .add: return .tensor(try t.rewritten(t.add(x, y)))
    case .subtract: return .tensor(try t.rewritten(t.sub(x, y)))
    case .multiply: return .tensor(try t.mul(x, y))
    case .divide: return .tensor(try t.rewritten(t.div(x, y)))
    case .power: return .tensor(try t.binary(.pow, x, y))
    case .modulo:
      // Python's (and torch.remainder's) sign convention: the result has the divisor's sign.
      return .tensor(try t.sub(x, t.mul(t.unary(.floor, t.div(x, y)), y)))
    case .matmul: return .tensor(try matmul(x, y))
    case .equal: return .tensor(try t.compare(.equal, x, y))
    case .notEqual: return .tensor(try t.compare(.notEqual, x, y))
    case .less: return .tensor(try t.compare(.less, x, y))
    case .lessEqual: return .tensor(try t.compare(.lessEqual, x, y))
    case .greater: return .tensor(try t.compare(.greater, x, y))
    case .greaterEqual: return .tensor(try t.compare(.greaterEqual, x, y))
    case .and, .or: return try logical(op, a, b, span: nil)
    }
  }

  /// `&&` / `||` once the left side did not short-circuit: Bools stay Bools, tensors
  /// combine elementwise into a bool tensor (nonzero is true).
  func logical(_ op: BinaryOperator, _ a: RuntimeValue, _ b: RuntimeValue, span: SourceSpan?) throws -> RuntimeValue {
    if case .bool = a, case .bool(let y) = b { return .bool(y) }
    if case .bool(let x) = a, x == (op == .or) { return a }
    guard let x = try tensorValue(a), let y = try tensorValue(b) else {
      throw LossLangError(.runtime, "operator '\(op.rawValue)' cannot be applied to \(a.typeName) and \(b.typeName)", span: span)
    }
    let nx = try tracer.cast(x, to: .bool)
    let ny = try tracer.cast(y, to: .bool)
    let both = try tracer.binary(op == .and ? .minimum : .maximum, nx, ny)
    return .tensor(try tracer.cast(both, to: .bool))
  }

  /// NumPy `matmul`: 1-D operands are promoted to a row / column and the axis removed after.
  func matmul(_ a: Node, _ b: Node) throws -> Node {
    guard !a.shape.isEmpty, !b.shape.isEmpty else {
      throw TensorError("matmul: both operands must have at least 1 dimension, got \(a.shape) and \(b.shape)")
    }
    let a2 = a.shape.count == 1 ? try tracer.reshape(a, [1, a.shape[0]]) : a
    let b2 = b.shape.count == 1 ? try tracer.reshape(b, [b.shape[0], 1]) : b
    let product = try tracer.matmul(a2, b2)
    var shape = product.shape
    if b.shape.count == 1 { shape.removeLast() }
    if a.shape.count == 1 { shape.remove(at: shape.count - (b.shape.count == 1 ? 1 : 2)) }
    return try tracer.reshape(product, shape)
  }

  /// Whether `==` and `!=` compare `a` and `b` as values, giving a Bool: unless both are
  /// numeric (tensors, or a Bool with a tensor), which compare elementwise.
  private func comparesStructurally(_ a: RuntimeValue, _ b: RuntimeValue) -> Bool {
    if case .bool = a, case .bool = b { return true }
    return !isNumeric(a) || !isNumeric(b)
  }

  private func isNumeric(_ v: RuntimeValue) -> Bool {
    if case .tensor = v { return true }
    if case .bool = v { return true }
    return false
  }

  /// Equality of non-tensor values (strings, bools, none, lists, functions by identity); a
  /// list of numbers equals the tensor it would make (`shape(x) == [2, 3]`).
  func sameValue(_ a: RuntimeValue, _ b: RuntimeValue) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.none, .none): return true
    case (.function(let f), .function(let g)): return f === g
    case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { sameValue($0, $1) }
    case (.dict(let x), .dict(let y)):
      // As Python: the same keys with equal values, in any order.
      return x.count == y.count && x.pairs.allSatisfy { key, v in y[key].map { sameValue(v, $0) } ?? false }
    case (.tensor(let x), .tensor(let y)): return sameTensor(x, y)
    case (.list, .tensor(let y)): return (try? tensorValue(a)).flatMap { $0 }.map { sameTensor($0, y) } ?? false
    case (.tensor(let x), .list): return (try? tensorValue(b)).flatMap { $0 }.map { sameTensor(x, $0) } ?? false
    default: return false
    }
  }

  /// Whether two tensors have the same shape and values.
  private func sameTensor(_ x: Node, _ y: Node) -> Bool {
    guard x !== y else { return true }
    guard x.shape == y.shape, let a = try? materialize(x), let b = try? materialize(y) else { return false }
    return (0..<a.count).allSatisfy { a[flat: $0] == b[flat: $0] }
  }
}
