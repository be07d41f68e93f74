/// An expression traced (not computed), with the gradients `:graph` and `:plan` show.
struct TracedGradients {
  /// The expression's value.
  let value: Node
  /// The global name of each named tensor node.
  let names: [ObjectIdentifier: String]
  /// The gradient of the value (summed first if it is not a scalar) with respect to each
  /// global tensor binding that is a leaf of its graph, by name.
  let gradients: [(name: String, node: Node)]
  /// What a reader should know about the gradients: there are none, or they are of a sum.
  let note: String?

  /// Traces the gradients of `value`, the last value of statements run inside
  /// `Interpreter.execute`; `purpose` (`a graph`) names what needs a tensor in the error for
  /// another value.
  init(_ value: RuntimeValue, in evaluator: Evaluator, for purpose: String) throws {
    guard case .tensor(let y) = value else {
      throw LossLangError(.runtime, "\(purpose) needs a tensor expression, got a \(value.typeName)")
    }
    let names = Self.globalNames(in: evaluator)
    let inputs = Node.topologicalOrder(from: [y])
      .filter { $0.inputs.isEmpty && !$0.isWeak && names[ObjectIdentifier($0)] != nil }
      .sorted { (names[ObjectIdentifier($0)] ?? "") < (names[ObjectIdentifier($1)] ?? "") }
    self.value = y
    self.names = names
    if inputs.isEmpty {
      gradients = []
      note = "no gradient: the value depends on no bound tensor"
      return
    }
    let scalar = y.count == 1 ? y : evaluator.tracer.sum(y, axes: Array(0..<y.shape.count))
    note = y.count == 1 ? nil : "gradients are of sum(value), since the value is not a scalar"
    let grads = try evaluator.tracer.gradients(of: scalar, wrt: inputs)
    gradients = zip(inputs, grads).map { (names[ObjectIdentifier($0)] ?? "?", $1) }
  }

  /// The global name of each tensor node bound to one (the first name, in the globals' order).
  static func globalNames(in evaluator: Evaluator) -> [ObjectIdentifier: String] {
    var names: [ObjectIdentifier: String] = [:]
    for name in evaluator.globals.names where name != "_" {
      if case .tensor(let n)? = evaluator.globals.lookup(name), names[ObjectIdentifier(n)] == nil {
        names[ObjectIdentifier(n)] = name
      }
    }
    return names
  }
}
