/// Reverse-mode differentiation as a graph-to-graph transform.
///
/// `gradients(of:wrt:)` walks the recorded graph backwards from a scalar, applying one
/// VJP rule per primitive (`VJPRules.swift`) and summing cotangents where a value fans
/// out. The result is ordinary graph nodes, so `grad(grad(…))` works.
extension Tracer {
  /// The gradient of the one-element `y` with respect to each of `xs`.
  ///
  /// An `x` that `y` does not depend on gets a zero gradient of its own shape.
  func gradients(of y: Node, wrt xs: [Node]) throws -> [Node] {
    guard y.count == 1 else {
      throw TensorError("grad: the output must be a scalar, but its shape is \(y.shape)")
    }
    let targets = Set(xs.map(ObjectIdentifier.init))
    let order = Node.topologicalOrder(from: [y])
    var depends = Set<ObjectIdentifier>()
    for node in order {
      let id = ObjectIdentifier(node)
      if targets.contains(id) || node.inputs.contains(where: { depends.contains(ObjectIdentifier($0)) }) {
        depends.insert(id)
      }
    }
    var adjoint: [ObjectIdentifier: Node] = [:]
    if depends.contains(ObjectIdentifier(y)) {
      adjoint[ObjectIdentifier(y)] = try full(y.shape, 1, y.dtype)
    }
    for node in order.reversed() {
      let id = ObjectIdentifier(node)
      guard let g = adjoint[id], !node.inputs.isEmpty else { continue }
      let needs = node.inputs.map { depends.contains(ObjectIdentifier($0)) }
      guard needs.contains(true) else { continue }
      let saved = span
      span = node.span ?? saved
      defer { span = saved }
      let cotangents = try vjp(node, g, needs: needs)
      for (input, ct) in zip(node.inputs, cotangents) {
        guard let ct, depends.contains(ObjectIdentifier(input)) else { continue }
        let key = ObjectIdentifier(input)
        adjoint[key] = try adjoint[key].map { try add($0, ct) } ?? ct
      }
    }
    let results = try xs.map { x in
      guard let g = adjoint[ObjectIdentifier(x)] else { return try full(x.shape, 0, x.dtype) }
      return try cast(g, to: x.dtype)
    }
    let forward = Set(order.map(ObjectIdentifier.init))
    for node in Node.topologicalOrder(from: results, stop: { forward.contains(ObjectIdentifier($0)) })
    where !forward.contains(ObjectIdentifier(node)) {
      node.isGradient = true
    }
    return results
  }
}
