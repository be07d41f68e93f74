/// Records primitive nodes: checks shapes and dtypes at once and builds the graph.
///
/// The interpreter sets `span` to the expression being evaluated, so every node (and
/// every shape error) points at the source that caused it. Gradient rules build their
/// nodes through the same tracer, which is what makes gradients differentiable again.
final class Tracer {
  /// The source span stamped on new nodes (set around every evaluation step; no access
  /// to it overlaps another, so it skips dynamic exclusivity checks).
  @exclusivity(unchecked) var span: SourceSpan?
  /// The most elements a new tensor may have (`Limits.maxTensorElements`).
  var maxTensorElements: Int?
  /// Called by `grad` with each node it differentiates, the gradient flowing into it and
  /// the cotangents built for its inputs (nil: nothing is called; `--lint` watches `sqrt`
  /// and `pow` through it).
  var onVJP: ((_ node: Node, _ adjoint: Node, _ cotangents: [Node?]) -> Void)?
  /// The stable rewrites applied so far; nil when rewrites are off (see `rewritten(_:)`).
  var rewriteLog: RewriteLog?
  /// Tensors of recent literal numbers.
  private var literals = LiteralCache()

  /// A constant leaf.
  func constant(_ value: Tensor, weak: Bool = false) -> Node {
    Node(constant: value, isWeak: weak, span: span)
  }

  /// A weakly typed constant scalar (it adopts the dtype of the tensor it meets); a number
  /// meant for a bool tensor is a float32 one, as arithmetic on bool computes in float32.
  func scalar(_ value: Double, _ dtype: DType) -> Node {
    constant(literals.tensor(value, dtype.storage), weak: true)
  }

  /// A tensor of the given shape filled with one value (float32 for bool, as ``scalar(_:_:)``).
  func full(_ shape: [Int], _ value: Double, _ dtype: DType) throws -> Node {
    try expand(constant(literals.tensor(value, dtype.storage)), to: shape)
  }

  /// Converts `x` to `dtype` (a no-op when it already has it); to bool, nonzero is true.
  func cast(_ x: Node, to dtype: DType) throws -> Node {
    if x.dtype == dtype { return x }
    if dtype == .bool { return try compare(.notEqual, x, scalar(0, x.dtype)) }
    if dtype == .float64, !x.isBound, let exact = x.exactValues { return constant(try Tensor(exact, shape: x.shape, dtype: dtype)) }
    // Only unbound literals fold: a bound value must stay in the graph so gradients reach it.
    if x.isWeak, x.op.isConstant, !x.isBound, let v = x.value {
      // A 0-d literal converts in Swift (the same rounding as the kernel's copy).
      if v.shape.isEmpty { return scalar(v[flat: 0], dtype) }
      return constant(try v.converted(to: dtype), weak: true)
    }
    return Node(op: .cast(dtype), inputs: [x], shape: x.shape, dtype: dtype, span: span)
  }

  /// The dtype operands are computed in: a weak literal adopts the other's dtype, and
  /// bool computes as float32 (`true + true` is 2.0, as PyTorch).
  ///
  /// Weak values among themselves compute in float64 (as Python numbers do), so a
  /// literal like `0.1` keeps full precision until it meets a float32 tensor.
  func resultType(_ nodes: [Node]) -> (DType, Bool) {
    let strong = nodes.filter { !$0.isWeak }
    if strong.isEmpty { return (.float64, true) }
    return (strong.contains { $0.dtype == .float64 } ? .float64 : .float32, false)
  }

  /// `resultType([a, b])`.
  func resultType(_ a: Node, _ b: Node) -> (DType, Bool) {
    switch (a.isWeak, b.isWeak) {
    case (true, true): (.float64, true)
    case (true, false): (b.dtype.storage, false)
    case (false, true): (a.dtype.storage, false)
    case (false, false): (a.dtype == .float64 || b.dtype == .float64 ? .float64 : .float32, false)
    }
  }

  /// The dtype values keep when they are only moved (`where`, `concat`): bool if all are
  /// bool and none is a weak number, else ``resultType(_:)-([Node])``.
  func movedType(_ nodes: [Node]) -> (DType, Bool) {
    nodes.allSatisfy { $0.dtype == .bool && !$0.isWeak } ? (.bool, false) : resultType(nodes)
  }

  /// `x` as a number: a bool tensor becomes float32 0/1, anything else is itself.
  func numeric(_ x: Node) -> Node {
    guard x.dtype == .bool else { return x }
    return Node(op: .cast(.float32), inputs: [x], shape: x.shape, dtype: .float32, span: span)
  }

  /// The NumPy broadcast of two shapes (equal shapes and scalars need no work).
  private static func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    if a == b || b.isEmpty { return a }
    if a.isEmpty { return b }
    return try Broadcast.shape(a, b)
  }

  /// An elementwise function of one tensor (a bool one computes as float32).
  func unary(_ op: UnaryOp, _ x: Node) -> Node {
    let x = numeric(x)
    return Node(op: .unary(op), inputs: [x], shape: x.shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// An elementwise function of two tensors with NumPy broadcasting.
  func binary(_ op: BinaryOp, _ a: Node, _ b: Node) throws -> Node {
    let shape: [Int]
    do { shape = try Self.broadcastShape(a.shape, b.shape) } catch {
      throw TensorError("shapes \(a.shape) and \(b.shape) cannot be broadcast together")
    }
    try checkSize(shape, .float64)
    let (dtype, weak) = resultType(a, b)
    let inputs = [try cast(a, to: dtype), try cast(b, to: dtype)]
    return Node(op: .binary(op), inputs: inputs, shape: shape, dtype: dtype, isWeak: weak, span: span)
  }

  /// A comparison (`equal`, `less`, …) as a bool tensor: computed in the operands'
  /// promoted dtype, then tagged bool.
  func compare(_ op: BinaryOp, _ a: Node, _ b: Node) throws -> Node {
    let values = try binary(op, a, b)
    return Node(op: .cast(.bool), inputs: [values], shape: values.shape, dtype: .bool, span: span)
  }

  /// `where(cond, a, b)` with broadcasting of all three.
  func select(_ cond: Node, _ a: Node, _ b: Node) throws -> Node {
    let shape: [Int]
    do {
      shape = try Self.broadcastShape(cond.shape, Self.broadcastShape(a.shape, b.shape))
    } catch {
      throw TensorError("where: shapes \(cond.shape), \(a.shape) and \(b.shape) cannot be broadcast together")
    }
    let (dtype, weak) = movedType([a, b])
    try checkSize(shape, dtype)
    let inputs = [cond, try cast(a, to: dtype), try cast(b, to: dtype)]
    return Node(op: .select, inputs: inputs, shape: shape, dtype: dtype, isWeak: weak, span: span)
  }

  /// The shape left after reducing `axes`.
  static func reducedShape(_ shape: [Int], axes: [Int], keepdims: Bool) -> [Int] {
    var out: [Int] = []
    for (i, d) in shape.enumerated() {
      if axes.contains(i) {
        if keepdims { out.append(1) }
      } else {
        out.append(d)
      }
    }
    return out
  }

  /// A reduction over sorted, unique, valid axes; reducing a literal gives a literal.
  /// A bool tensor sums (counts) as float32; its `max` and `min` stay bool.
  func reduce(_ op: ReduceOp, _ x: Node, axes: [Int], keepdims: Bool) -> Node {
    let x = op == .max || op == .min ? x : numeric(x)
    let shape = Self.reducedShape(x.shape, axes: axes, keepdims: keepdims)
    return Node(op: .reduce(op, axes: axes, keepdims: keepdims), inputs: [x], shape: shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// Sum over axes (no-op for no axes).
  func sum(_ x: Node, axes: [Int], keepdims: Bool = false) -> Node {
    axes.isEmpty ? x : reduce(.sum, x, axes: axes, keepdims: keepdims)
  }

  /// Stable log-sum-exp over axes.
  func logsumexp(_ x: Node, axes: [Int], keepdims: Bool) -> Node {
    let x = numeric(x)
    let shape = Self.reducedShape(x.shape, axes: axes, keepdims: keepdims)
    return Node(op: .logsumexp(axes: axes, keepdims: keepdims), inputs: [x], shape: shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// The p-norm over axes.
  func norm(_ x: Node, p: Double, axes: [Int], keepdims: Bool) -> Node {
    let x = numeric(x)
    let shape = Self.reducedShape(x.shape, axes: axes, keepdims: keepdims)
    return Node(op: .norm(p: p, axes: axes, keepdims: keepdims), inputs: [x], shape: shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// Position of the max/min along an axis (or over all elements).
  func argReduce(_ x: Node, max: Bool, axis: Int?, keepdims: Bool) -> Node {
    let x = numeric(x)
    let shape: [Int]
    if let axis {
      shape = Self.reducedShape(x.shape, axes: [axis], keepdims: keepdims)
    } else {
      shape = keepdims ? x.shape.map { _ in 1 } : []
    }
    return Node(op: .argReduce(max: max, axis: axis, keepdims: keepdims), inputs: [x], shape: shape, dtype: x.dtype, span: span)
  }

  /// Same elements in a new shape of equal size.
  func reshape(_ x: Node, _ shape: [Int]) throws -> Node {
    if shape == x.shape { return x }
    guard (try? Tensor.elementCount(shape)) == x.count else {
      throw TensorError("cannot reshape a tensor of shape \(x.shape) into shape \(shape)")
    }
    return Node(op: .reshape, inputs: [x], shape: shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// The same value with no gradient flowing back through it.
  func stopGradient(_ x: Node) -> Node {
    Node(op: .stopGradient, inputs: [x], shape: x.shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// Reorders axes; `perm` must be a permutation of the axes.
  func permute(_ x: Node, _ perm: [Int]) throws -> Node {
    guard perm.count == x.shape.count, perm.sorted() == Array(0..<x.shape.count) else {
      throw TensorError("permute: \(perm) is not a permutation of the \(x.shape.count) axes of shape \(x.shape)")
    }
    if perm == Array(0..<perm.count) { return x }
    return Node(op: .permute(perm), inputs: [x], shape: perm.map { x.shape[$0] }, dtype: x.dtype, span: span)
  }

  /// Throws when a tensor of this shape exceeds the interpreter's element limit, or could
  /// never be allocated.
  func checkSize(_ shape: [Int], _ dtype: DType) throws {
    if let max = maxTensorElements, try Tensor.elementCount(shape) > max {
      throw LossLangError(.limitExceeded,
        "tensor size limit exceeded: shape \(shape) has \(try Tensor.elementCount(shape)) elements, the limit is \(max)")
    }
    try Self.checkSize(shape, dtype)
  }

  /// Throws when a tensor of this shape could never be allocated.
  static func checkSize(_ shape: [Int], _ dtype: DType) throws {
    let (bytes, overflow) = try Tensor.elementCount(shape).multipliedReportingOverflow(by: dtype.itemSize)
    guard !overflow, bytes <= TensorStorage.maxBytes else {
      throw TensorError("cannot allocate a tensor of shape \(shape): it would exceed the \(TensorStorage.maxBytes >> 30) GiB limit")
    }
  }

  /// Broadcasts to a shape (NumPy rules).
  func expand(_ x: Node, to shape: [Int]) throws -> Node {
    if shape == x.shape { return x }
    try checkSize(shape, x.dtype)
    guard (try? Broadcast.shape(x.shape, shape)) == shape else {
      throw TensorError("cannot expand shape \(x.shape) to \(shape)")
    }
    return Node(op: .expand, inputs: [x], shape: shape, dtype: x.dtype, isWeak: x.isWeak, span: span)
  }

  /// Sums a broadcast cotangent back down to `shape` (the transpose of `expand`).
  func sum(_ x: Node, toShape shape: [Int]) throws -> Node {
    if x.shape == shape { return x }
    let lead = x.shape.count - shape.count
    var axes = Array(0..<max(0, lead))
    for (i, d) in shape.enumerated() where d == 1 && x.shape[lead + i] != 1 { axes.append(lead + i) }
    return try reshape(sum(x, axes: axes, keepdims: false), shape)
  }

  /// Picks elements by flat index into a new shape.
  func gather(_ x: Node, _ indices: IndexList, shape: [Int]) -> Node {
    Node(op: .gather(indices), inputs: [x], shape: shape, dtype: x.dtype, span: span)
  }

  /// Adds elements into a zero tensor of `shape` at flat indices.
  func scatterAdd(_ x: Node, _ indices: IndexList, shape: [Int]) -> Node {
    Node(op: .scatterAdd(indices), inputs: [x], shape: shape, dtype: x.dtype, span: span)
  }

  /// Batched matrix product of rank ≥ 2 tensors.
  func matmul(_ a: Node, _ b: Node) throws -> Node {
    guard a.shape.count >= 2, b.shape.count >= 2 else {
      throw TensorError("matmul: operands must have at least 2 dimensions, got \(a.shape) and \(b.shape)")
    }
    let n = a.shape[a.shape.count - 2], k = a.shape[a.shape.count - 1]
    let k2 = b.shape[b.shape.count - 2], m = b.shape[b.shape.count - 1]
    guard k == k2 else {
      throw TensorError("matmul: shapes \(a.shape) and \(b.shape) are not aligned (\(k) != \(k2))")
    }
    let batch: [Int]
    do {
      batch = try Broadcast.shape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
    } catch {
      throw TensorError("matmul: batch dimensions of \(a.shape) and \(b.shape) cannot be broadcast")
    }
    let (dtype, _) = resultType(a, b)
    try checkSize(batch + [n, m], dtype)
    let inputs = [try cast(a, to: dtype), try cast(b, to: dtype)]
    return Node(op: .matmul, inputs: inputs, shape: batch + [n, m], dtype: dtype, span: span)
  }

  /// Joins tensors along an existing axis.
  func concat(_ parts: [Node], axis: Int) throws -> Node {
    guard let first = parts.first else { throw TensorError("concat: needs at least one tensor") }
    var shape = first.shape
    guard axis >= 0, axis < shape.count else {
      throw TensorError("concat: axis \(axis) is out of range for shape \(first.shape)")
    }
    for p in parts.dropFirst() {
      guard p.shape.count == shape.count,
        p.shape.enumerated().allSatisfy({ $0.offset == axis || $0.element == shape[$0.offset] })
      else { throw TensorError("concat: shapes \(first.shape) and \(p.shape) differ outside axis \(axis)") }
      let (sum, overflow) = shape[axis].addingReportingOverflow(p.shape[axis])
      guard !overflow else { throw TensorError("cannot allocate a tensor of shape \(shape): too large") }
      shape[axis] = sum
    }
    if parts.count == 1 { return first }
    let (dtype, _) = movedType(parts)
    try checkSize(shape, dtype)
    let inputs = try parts.map { try cast($0, to: dtype) }
    return Node(op: .concat(axis: axis), inputs: inputs, shape: shape, dtype: dtype, span: span)
  }
}

extension Op {
  /// Whether this is a constant leaf.
  var isConstant: Bool {
    if case .constant = self { return true }
    return false
  }
}
