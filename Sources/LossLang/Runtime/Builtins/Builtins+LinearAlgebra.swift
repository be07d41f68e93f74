/// Linear algebra and normalizers: `matmul softmax log_softmax`.
extension Builtins {
  static func registerLinearAlgebra(in r: Registry) {
    r.builtin("matmul", ["a", "b"], category: "linear algebra",
              doc: "matmul(a, b): matrix product (a @ b) with NumPy rules: 1-D operands, broadcast batch axes.") { a in
      .tensor(try a.evaluator.matmul(a.tensor(0), a.tensor(1)))
    }
    r.builtin("log_softmax", ["x", "axis=-1"], category: "linear algebra",
              doc: "log_softmax(x, axis=-1): x - logsumexp(x, axis), computed stably.") { a in
      let x = try a.tensor(0)
      return .tensor(try logSoftmax(x, axis: a.axis(1, rank: max(x.shape.count, 1)), a.tracer))
    }
    r.builtin("softmax", ["x", "axis=-1"], category: "linear algebra",
              doc: "softmax(x, axis=-1): exp(x) / sum(exp(x)) along axis, computed stably.") { a in
      let x = try a.tensor(0)
      return .tensor(a.tracer.unary(.exp, try logSoftmax(x, axis: a.axis(1, rank: max(x.shape.count, 1)), a.tracer)))
    }
  }

  /// `(x - m) - log(sum(exp(x - m)))` with `m = max(x)` held constant, as PyTorch's
  /// kernel computes it: the shifted values are exact, so logits of 1000 lose nothing.
  /// Over an empty axis the result is empty (it has no maximum to shift by).
  static func logSoftmax(_ x: Node, axis: Int, _ t: Tracer) throws -> Node {
    if x.shape.isEmpty || x.shape[axis] == 0 { return try t.sub(x, x) }
    let m = t.stopGradient(t.reduce(.max, x, axes: [axis], keepdims: true))
    let shifted = try t.sub(x, m)
    return try t.sub(shifted, t.unary(.log, t.reduce(.sum, t.unary(.exp, shifted), axes: [axis], keepdims: true)))
  }
}
