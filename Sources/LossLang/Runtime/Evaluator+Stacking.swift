/// Tensor literals and lists: `[a, b]` stacks equal-shape tensors into one tensor, and
/// iterating a tensor splits it along its first axis.
extension Evaluator {
  /// Stacks values into one tensor along a new first axis, or nil when they are not all
  /// tensors (numbers) of one shape. A literal is float32 unless an item is float64, or
  /// bool when every item is a bool tensor.
  ///
  /// `written` are the item expressions when the values come from a list literal. Items
  /// written as numbers (`0.5`, `-0.25 * 2`, `[1, 2]`; no names or calls) fold into one
  /// constant that keeps their float64 values; a literal of bound tensors
  /// (`[w, b]`) remembers its items, so `grad(y, [w, b])` is a list of gradients.
  ///
  /// Whether the items stack is settled first, without recording nodes: `[loss, [ga, gb]]`
  /// records nothing for the inner list when the outer one turns out not to stack.
  func stack(_ items: [RuntimeValue], written: [Expr]? = nil) throws -> Node? {
    guard try stackedType(items) != nil else { return nil }
    return try stackChecked(items, written: written)
  }

  /// The shape and dtype `stack(items)` gives, or nil when it gives nil; throws what it
  /// throws (a size limit), in the same order.
  private func stackedType(_ items: [RuntimeValue]) throws -> (shape: [Int], dtype: DType)? {
    // Settle what this level shows before looking inside nested lists, so `[l, "x"]` costs
    // the same however deeply `l` nests.
    guard Self.mayStack(items) else { return nil }
    var types: [(shape: [Int], dtype: DType, isStrong: Bool)] = []
    types.reserveCapacity(items.count)
    for item in items {
      switch item {
      case .tensor(let n): types.append((n.shape, n.dtype, !n.isWeak))
      case .list(let inner):
        guard let t = try stackedType(inner) else { return nil }
        types.append((t.shape, t.dtype, true))
      default: return nil
      }
    }
    // `[]` is the empty list; where a tensor is expected it converts (`tensorValue`).
    guard let first = types.first else { return nil }
    guard types.allSatisfy({ $0.shape == first.shape }) else { return nil }
    let dtype = Self.stackedDType(types.map { ($0.dtype, $0.isStrong) })
    let shape = [types.count] + first.shape
    try tracer.checkSize(shape, dtype)
    return (shape, dtype)
  }

  /// Whether `items` could be the rows of a tensor literal, judged from this level and the
  /// kinds of the next: tensors of one shape, or lists of one length of tensors and lists, and
  /// not both unless the tensors' first axis has that length.
  private static func mayStack(_ items: [RuntimeValue]) -> Bool {
    var tensorShape: [Int]?
    var listLength: Int?
    for item in items {
      switch item {
      case .tensor(let n):
        if let s = tensorShape, s != n.shape { return false }
        tensorShape = n.shape
      case .list(let inner):
        if let l = listLength, l != inner.count { return false }
        listLength = inner.count
        for row in inner {
          switch row {
          case .tensor, .list: continue
          default: return false
          }
        }
      default: return false
      }
    }
    if let s = tensorShape, let l = listLength { return s.first == l }
    return true
  }

  /// `stack` for items that `stackedType` accepts.
  private func stackChecked(_ items: [RuntimeValue], written: [Expr]?) throws -> Node {
    var nodes: [Node] = []
    nodes.reserveCapacity(items.count)
    for item in items {
      switch item {
      case .tensor(let n): nodes.append(n)
      case .list(let inner): nodes.append(try stackChecked(inner, written: nil))
      default: throw TensorError("internal error: an item that cannot be stacked")
      }
    }
    guard let first = nodes.first else { throw TensorError("internal error: an empty literal to stack") }
    let dtype = Self.stackedDType(nodes.map { ($0.dtype, !$0.isWeak) })
    let shape = [nodes.count] + first.shape
    let isNumber = nodes.indices.map { Self.isWrittenNumber(nodes[$0], written?[$0]) }
    if !isNumber.contains(false) {
      // Written-out numbers have no identity a gradient could refer to: fold them (the
      // expressions among them computed in one run).
      var computed = try materialize(nodes.filter { $0.exactValues == nil })[...]
      var values: [Double] = []
      values.reserveCapacity(nodes.count * first.count)
      for n in nodes { values += n.exactValues ?? computed.popFirst()?.scalars ?? [] }
      let result = tracer.constant(try Tensor(values, shape: shape, dtype: dtype))
      result.exactValues = values
      return result
    }
    // A bound number (`[a, b]` with `a = 0.5`) is converted by a recorded cast, not folded,
    // so gradients through the literal reach it.
    let rows = try nodes.map { n in
      try tracer.reshape(n.isWeak ? n.recordedCast(to: dtype, tracer) : tracer.cast(n, to: dtype), [1] + first.shape)
    }
    let result = try tracer.concat(rows, axis: 0)
    if !isNumber.contains(true) { result.literalItems = nodes }
    return result
  }

  /// The dtype of a stacked literal from its items' dtypes and strengths.
  private static func stackedDType(_ items: [(dtype: DType, isStrong: Bool)]) -> DType {
    if items.allSatisfy({ $0.isStrong && $0.dtype == .bool }) { return .bool }
    return items.contains { $0.isStrong && $0.dtype == .float64 } ? .float64 : .float32
  }

  /// Whether a literal's item is a number written out: a number or an expression of numbers
  /// (`0.5`, `-0.25 * 2`; no name or call, so no gradient can refer to it), or a folded
  /// literal (`[1, 2]`). Without the expression (a list value), only a literal number counts.
  private static func isWrittenNumber(_ n: Node, _ e: Expr?) -> Bool {
    guard let e else { return n.isWeak && n.op.isConstant }
    if case .list = e.kind { return n.exactValues != nil }
    return n.isWeak && isNumberExpression(e)
  }

  /// Whether a scalar expression is made of number literals and operators alone.
  private static func isNumberExpression(_ e: Expr) -> Bool {
    switch e.kind {
    case .number: return true
    case .unary(_, let inner): return isNumberExpression(inner)
    case .binary(_, let l, let r): return isNumberExpression(l) && isNumberExpression(r)
    default: return false
    }
  }

  /// The slices of a tensor along its first axis, each a (differentiable) value.
  func unstack(_ n: Node) throws -> [RuntimeValue] {
    if let items = n.literalItems { return items.map { .tensor($0) } }
    guard let rows = n.shape.first else { return [.tensor(n)] }
    let rest = Array(n.shape.dropFirst())
    let size = rest.reduce(1, *)
    return (0..<rows).map { r in
      .tensor(tracer.gather(n, IndexList(Array(r * size..<(r + 1) * size)), shape: rest))
    }
  }
}
