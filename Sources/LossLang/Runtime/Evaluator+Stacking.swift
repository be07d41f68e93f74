/// Tensor literals and lists: `[a, b]` stacks equal-shape tensors into one tensor, and
/// iterating a tensor splits it along its first axis.
extension Evaluator {
  /// Stacks values into one tensor along a new first axis, or nil when they are not all
  /// tensors (numbers) of one shape. A literal is float32 unless an item is float64.
  ///
  /// Whether the items stack is settled first, without recording nodes: `[loss, [ga, gb]]`
  /// records nothing for the inner list when the outer one turns out not to stack.
  func stack(_ items: [RuntimeValue], numbersOnly: Bool = false) throws -> Node? {
    guard try stackedType(items) != nil else { return nil }
    return try stackChecked(items, numbersOnly: numbersOnly)
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
    guard let first = types.first else { return ([0], .float32) }
    guard types.allSatisfy({ $0.shape == first.shape }) else { return nil }
    let dtype: DType = types.contains { $0.isStrong && $0.dtype == .float64 } ? .float64 : .float32
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
  private func stackChecked(_ items: [RuntimeValue], numbersOnly: Bool) throws -> Node {
    var nodes: [Node] = []
    nodes.reserveCapacity(items.count)
    for item in items {
      switch item {
      case .tensor(let n): nodes.append(n)
      case .list(let inner): nodes.append(try stackChecked(inner, numbersOnly: false))
      default: throw TensorError("internal error: an item that cannot be stacked")
      }
    }
    guard let first = nodes.first else { return tracer.constant(try Tensor([], shape: [0])) }
    let dtype: DType = nodes.contains { !$0.isWeak && $0.dtype == .float64 } ? .float64 : .float32
    let shape = [nodes.count] + first.shape
    let result: Node
    if numbersOnly || nodes.allSatisfy({ $0.isWeak && $0.op.isConstant }) {
      // Written-out numbers have no identity a gradient could refer to: fold them.
      var values: [Double] = []
      values.reserveCapacity(nodes.count * first.count)
      for n in nodes { values += try materialize(n).scalars }
      return tracer.constant(try Tensor(values, shape: shape, dtype: dtype))
    } else {
      let rows = try nodes.map { try tracer.reshape(tracer.cast($0, to: dtype), [1] + first.shape) }
      result = try tracer.concat(rows, axis: 0)
    }
    result.literalItems = nodes
    return result
  }

  /// Whether an expression is written out of numbers only (`1`, `-2.5`, `[[1, 2], [3, 4]]`).
  static func isNumberLiteral(_ e: Expr) -> Bool {
    switch e.kind {
    case .number: return true
    case .unary(.negate, let inner): return isNumberLiteral(inner)
    case .list(let items): return items.allSatisfy(isNumberLiteral)
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
