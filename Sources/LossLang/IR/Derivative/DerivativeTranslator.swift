/// Reads a traced gradient graph as LossLang terms over the caller's names: each primitive
/// becomes the operator or builtin that computes it; `expand`, `stop_gradient` and casts
/// that promotion makes anyway are shown as their input; `mean` appears as the division by
/// the element count it traced.
///
/// A node bound to a name in the caller's scope is that name; the walk does not look below
/// it. An op LossLang cannot spell (a native custom operation) is an error naming it.
struct DerivativeTranslator {
  /// The caller's name of each named node.
  let names: [ObjectIdentifier: String]
  /// The terms being built.
  var simplifier = ExpressionSimplifier()
  /// The term of each translated node.
  private var terms: [ObjectIdentifier: Int] = [:]

  init(names: [ObjectIdentifier: String]) {
    self.names = names
  }

  /// The term of `root` with exactly `root`'s shape.
  mutating func translate(_ root: Node) throws -> Int {
    let order = Node.topologicalOrder(from: [root]) { names[ObjectIdentifier($0)] != nil || $0.inputs.isEmpty }
    for node in order {
      terms[ObjectIdentifier(node)] = try term(for: node)
    }
    return exact(term(root), root.shape)
  }

  /// The term already built for `node` (inputs are translated before their users, so every
  /// lookup finds one).
  func term(_ node: Node) -> Int {
    terms[ObjectIdentifier(node)] ?? 0
  }

  /// The term of one node whose inputs are translated.
  private mutating func term(for node: Node) throws -> Int {
    if let name = names[ObjectIdentifier(node)] { return simplifier.name(name, shape: node.shape) }
    if node.inputs.isEmpty { return try constant(node) }
    let x = node.inputs.map { term($0) }
    switch node.op {
    case .constant: return try constant(node)
    case .unary(let op): return unary(op, x[0])
    case .binary(let op):
      // A comparison recorded as float64 0/1 (autodiff's masks) is `float64(a == b)`: as a
      // bool, arithmetic on it would round in float32.
      let value = binary(op, x[0], x[1])
      return DerivativeOperator(comparison: op) != nil ? cast(value, from: .bool, to: node.dtype) : value
    case .select: return simplifier.select(x[0], x[1], x[2])
    case .reduce, .logsumexp, .norm:
      return reduction(node, keepdims: nil)
    case .argReduce(let isMax, let axis, let keepdims):
      var extras = axis.map { ["axis=\($0)"] } ?? []
      if keepdims { extras.append("keepdims=true") }
      return simplifier.call(isMax ? "argmax" : "argmin", [exact(x[0], node.inputs[0].shape)], extras: extras, shape: node.shape)
    case .stopGradient, .expand: return x[0]
    case .cast(let dtype): return cast(x[0], from: node.inputs[0].dtype, to: dtype)
    case .reshape: return reshape(node)
    case .permute(let perm): return permute(node, perm)
    case .gather(let indices): return gather(node, indices)
    case .scatterAdd(let indices): return try scatterAdd(node, indices)
    case .matmul:
      return simplifier.binary(.matmul, exact(x[0], node.inputs[0].shape), exact(x[1], node.inputs[1].shape))
    case .concat(let axis):
      let parts = zip(x, node.inputs).map { exact($0, $1.shape) }
      let list = simplifier.list(parts)
      return simplifier.call("concat", [list], extras: ["axis=\(axis)"], shape: node.shape)
    case .custom(let op): throw Self.unspellable(op.name)
    }
  }

  /// A dtype conversion: hidden where LossLang's promotion gives the same values (a bool
  /// used as a float32 number, a number literal), `x != 0` to bool, else `float64(x)` or
  /// `float32(x)`, whose rounding the gradient has.
  private mutating func cast(_ x: Int, from source: DType, to dtype: DType) -> Int {
    if dtype == .bool { return simplifier.binary(.notEqual, x, simplifier.number(0)) }
    if simplifier.expression.number(x) != nil || (source == .bool && dtype == .float32) || source == dtype { return x }
    return simplifier.call("\(dtype)", [x], shape: simplifier.expression.shape(x))
  }

  /// An elementwise function: `-x`, `1 / x` for the reciprocal, else the builtin of its name.
  private mutating func unary(_ op: UnaryOp, _ x: Int) -> Int {
    switch op {
    case .neg: return simplifier.negate(x)
    case .reciprocal: return simplifier.binary(.divide, simplifier.number(1), x)
    default: return simplifier.call("\(op)", [x], shape: simplifier.expression.shape(x))
    }
  }

  /// An elementwise binary op: an operator, or `maximum`/`minimum`.
  private mutating func binary(_ op: BinaryOp, _ a: Int, _ b: Int) -> Int {
    let arithmetic: [BinaryOp: DerivativeOperator] = [.add: .add, .sub: .subtract, .mul: .multiply, .div: .divide, .pow: .power]
    if let symbol = arithmetic[op] ?? DerivativeOperator(comparison: op) { return simplifier.binary(symbol, a, b) }
    let e = simplifier.expression
    if let x = e.number(a), let y = e.number(b) { return simplifier.number(op == .maximum ? max(x, y) : min(x, y)) }
    let shape = (try? Broadcast.shape(e.shape(a), e.shape(b))) ?? e.shape(a)
    return simplifier.call(op == .maximum ? "maximum" : "minimum", [a, b], shape: shape)
  }

  /// The error for a primitive LossLang has no spelling for.
  static func unspellable(_ name: String) -> LossLangError {
    LossLangError(.runtime, "derive: the derivative uses '\(name)', which has no LossLang spelling")
  }
}
