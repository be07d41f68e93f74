/// Reverse-mode differentiation as a graph-to-graph transform.
///
/// `gradients(of:wrt:)` walks the recorded graph backwards from a scalar, applying one
/// VJP rule per primitive (`VJPRules.swift`) and summing cotangents where a value fans
/// out. The result is ordinary graph nodes, so `grad(grad(…))` works.
///
/// The walk never enters nodes recorded before the oldest `x` (`Node.stamp`): they cannot
/// depend on it. So `grad(loss(w), w)` in a loop visits this step's nodes only, however
/// long the history behind `w`.
extension Tracer {
  /// The gradient of the one-element `y` with respect to each of `xs`.
  ///
  /// An `x` that `y` does not depend on gets a zero gradient of its own shape.
  func gradients(of y: Node, wrt xs: [Node]) throws -> [Node] {
    guard y.count == 1 else {
      throw TensorError("grad: the output must be a scalar, but its shape is \(y.shape)")
    }
    if let x = xs.first(where: { $0.dtype == .bool }) {
      throw TensorError("grad: cannot differentiate with respect to a bool tensor (shape \(x.shape)): it has no gradient")
    }
    // A node older than every target cannot depend on one: the walk does not enter it.
    let oldest = xs.map(\.stamp).min() ?? y.stamp
    let (order, position) = Node.walk(from: [y]) { $0.stamp < oldest }
    // A target inside a rewritten formula is differentiated through the formula as written.
    if order.contains(where: { $0.rewrite != nil }),
      let written = RewriteFallback.unrewritten(y, order: order, wrt: xs, oldest: oldest) {
      return try gradients(of: written, wrt: xs)
    }
    // Which nodes depend on a target, by position in `order` (inputs come first); a bool
    // value (a comparison) has no gradient, so nothing flows back through it.
    var depends = [Bool](repeating: false, count: order.count)
    for x in xs { if let i = position[x] { depends[i] = true } }
    for (i, node) in order.enumerated() where !depends[i] && node.dtype != .bool {
      depends[i] = node.inputs.contains { position[$0].map { depends[$0] } ?? false }
    }
    var adjoint = [Node?](repeating: nil, count: order.count)
    if depends[order.count - 1] {
      adjoint[order.count - 1] = try full(y.shape, 1, y.dtype)
    }
    for i in order.indices.reversed() {
      let node = order[i]
      guard let g = adjoint[i], !node.inputs.isEmpty else { continue }
      let inputPositions = node.inputs.map { position[$0] ?? -1 }
      let needs = inputPositions.map { $0 >= 0 && depends[$0] }
      guard needs.contains(true) else { continue }
      let saved = span
      span = node.span ?? saved
      defer { span = saved }
      let cotangents = try vjp(node, g, needs: needs)
      onVJP?(node, g, cotangents)
      for (k, ct) in zip(inputPositions, cotangents) {
        guard let ct, k >= 0, depends[k] else { continue }
        adjoint[k] = try adjoint[k].map { try add($0, ct) } ?? ct
      }
    }
    let results = try xs.map { x in
      guard let g = position[x].flatMap({ adjoint[$0] }) else { return try full(x.shape, 0, x.dtype) }
      return try cast(g, to: x.dtype)
    }
    for node in Node.topologicalOrder(from: results, stop: position.contains) where !position.contains(node) {
      node.isGradient = true
    }
    return results
  }
}
