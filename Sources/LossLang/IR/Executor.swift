/// Computes node values on the native kernel, on demand.
///
/// `materialize` evaluates the part of the graph below the requested nodes that has no
/// value yet. By default it runs a cached `Plan`: the graph simplified and partitioned
/// into fused tile programs. With fusion off (`ExecutionContext.fusion`), or finite checks
/// on, it runs one primitive at a time, which is the reference the fused path is tested
/// against. Either way intermediate buffers are freed after their last use, only the
/// requested nodes keep their values, and the context's budget is charged for them.
enum Executor {
  /// Looks at one primitive computed on the reference path: the node, its value and its
  /// inputs' values (`--lint`).
  typealias Inspector = (Node, Tensor, [Tensor]) -> Void

  /// The value of `node`, computing whatever it needs under `context`.
  static func materialize(_ node: Node, context: ExecutionContext) throws -> Tensor {
    if let v = node.value { return v }
    guard let v = try materialize([node], context: context).first else {
      throw TensorError("internal error: '\(node.op.name)' was not computed")
    }
    return v
  }

  /// The values of `nodes`, computed together so that shared work (a loss and its
  /// gradient) runs once and in as few passes as possible; with `inspect`, one primitive at
  /// a time, each shown to it.
  static func materialize(_ nodes: [Node], context: ExecutionContext, inspect: Inspector? = nil) throws -> [Tensor] {
    if nodes.allSatisfy({ $0.value != nil }) { return nodes.compactMap(\.value) }
    let results = try context.charging {
      if context.runsPlans, inspect == nil {
        let live = LiveGraph(roots: nodes)
        return try context.planCache.executable(for: live).run(live, context: context)
      }
      return try unfused(nodes, context: context, inspect: inspect)
    }
    for (node, value) in zip(nodes, results) { node.value = value }
    return results
  }

  /// Computes `roots` one primitive at a time, in walk order, showing each to `inspect`.
  private static func unfused(_ roots: [Node], context: ExecutionContext, inspect: Inspector?) throws -> [Tensor] {
    let order = Node.topologicalOrder(from: roots) { $0.value != nil }
    var uses: [ObjectIdentifier: Int] = [:]
    for n in order where n.value == nil {
      for input in n.inputs { uses[ObjectIdentifier(input), default: 0] += 1 }
    }
    for root in roots { uses[ObjectIdentifier(root), default: 0] += 1 }
    var values: [ObjectIdentifier: Tensor] = [:]
    for n in order {
      let id = ObjectIdentifier(n)
      if let v = n.value {
        values[id] = v
        continue
      }
      try context.cancellation.check()
      let args = try n.inputs.map { input -> Tensor in
        guard let v = values[ObjectIdentifier(input)] else {
          throw TensorError("internal error: input of '\(n.op.name)' was not computed")
        }
        return v
      }
      let result: Tensor
      do { result = try evaluate(n, args) } catch let error as TensorError {
        throw LocatedTensorError(error: error, span: n.span)
      }
      if context.checkFinite { try FiniteCheck.verify(n, result, args) }
      inspect?(n, result, args)
      values[id] = result
      for input in n.inputs {
        let key = ObjectIdentifier(input)
        uses[key, default: 1] -= 1
        if uses[key] == 0 { values[key] = nil }
      }
    }
    return try roots.map { root in
      guard let v = values[ObjectIdentifier(root)] else {
        throw TensorError("internal error: '\(root.op.name)' was not computed")
      }
      return v
    }
  }

  /// Runs one primitive on computed inputs.
  static func evaluate(_ n: Node, _ x: [Tensor]) throws -> Tensor {
    switch n.op {
    case .constant:
      throw TensorError("internal error: constant without a value")
    case .unary(let op): return try x[0].unary(op)
    case .binary(let op): return try Tensor.binary(op, x[0], x[1])
    case .select: return try Tensor.select(x[0], x[1], x[2])
    case .reduce(let op, let axes, let keepdims): return try x[0].reduced(op, axes: axes, keepdims: keepdims)
    case .logsumexp(let axes, let keepdims): return try x[0].logsumexp(axes: axes, keepdims: keepdims)
    case .norm(let p, let axes, let keepdims): return try norm(x[0], p: p, axes: axes, keepdims: keepdims)
    case .argReduce(let isMax, let axis, let keepdims):
      return try x[0].argReduce(max: isMax, axis: axis, keepdims: keepdims)
    case .stopGradient: return x[0]
    case .cast(let dtype): return try x[0].converted(to: dtype)
    case .reshape: return try x[0].reshaped(n.shape)
    case .permute(let perm): return try x[0].permuted(perm)
    case .expand: return try x[0].broadcast(to: n.shape)
    case .gather(let indices): return try x[0].gathered(indices.values, shape: n.shape)
    case .scatterAdd(let indices): return try Tensor.scatterAdd(x[0], indices: indices.values, shape: n.shape)
    case .matmul: return try Tensor.matmul(x[0], x[1])
    case .concat(let axis): return try Tensor.concat(x, axis: axis)
    case .custom(let op): return try op.forward(x)
    }
  }

  /// The p-norm: `sum(|x|^p)^(1/p)`, with `sqrt` for p = 2 and `max |x|` for p = ∞.
  private static func norm(_ x: Tensor, p: Double, axes: [Int], keepdims: Bool) throws -> Tensor {
    let a = try x.unary(.abs)
    if p == .infinity { return try a.reduced(.max, axes: axes, keepdims: keepdims) }
    if p == 1 { return try a.reduced(.sum, axes: axes, keepdims: keepdims) }
    if p == 2 {
      return try Tensor.binary(.mul, x, x).reduced(.sum, axes: axes, keepdims: keepdims).unary(.sqrt)
    }
    let power = Tensor(scalar: p, dtype: x.dtype)
    let s = try Tensor.binary(.pow, a, power).reduced(.sum, axes: axes, keepdims: keepdims)
    return try Tensor.binary(.pow, s, Tensor(scalar: 1 / p, dtype: x.dtype))
  }
}
