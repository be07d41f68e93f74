/// Linear algebra and normalizers: `matmul softmax log_softmax` and the prelude's `_log_softmax_parts`.
extension Builtins {
  static func registerLinearAlgebra(in r: Registry) {
    r.builtin("matmul", ["a", "b"], category: "linear algebra",
              doc: "matmul(a, b): matrix product (a @ b) with NumPy rules: 1-D operands, broadcast batch axes.") { a in
      .tensor(try a.evaluator.matmul(a.tensor(0), a.tensor(1)))
    }
    r.builtin("log_softmax", ["x", "axis=-1"], category: "linear algebra",
              doc: "log_softmax(x, axis=-1): x - logsumexp(x, axis), computed stably.") { a in
      let x = try a.tensor(0)
      return .tensor(try a.tracer.logSoftmax(x, axes: [a.axis(1, rank: max(x.shape.count, 1))]))
    }
    r.builtin("_log_softmax_parts", ["x", "axis=-1"], category: "linear algebra",
              doc: "_log_softmax_parts(x, axis=-1): [x - m, log(sum(exp(x - m), axis, keepdims=true))] with m the maximum along axis (no gradient through m): log_softmax(x, axis) is the first minus the second; for the prelude (cross_entropy reads the log-sums). x needs at least one axis, of at least one element.") { a in
      let x = try a.tensor(0)
      guard let (shifted, logSum) = try a.tracer.logSoftmaxParts(x, axes: [a.axis(1, rank: max(x.shape.count, 1))]) else {
        throw a.error(0, "must have an axis of at least one element, got shape \(x.shape)")
      }
      return .list([.tensor(shifted), .tensor(logSum)])
    }
    r.builtin("softmax", ["x", "axis=-1"], category: "linear algebra",
              doc: "softmax(x, axis=-1): exp(x) / sum(exp(x)) along axis, computed stably.") { a in
      let x = try a.tensor(0)
      return .tensor(a.tracer.unary(.exp, try a.tracer.logSoftmax(x, axes: [a.axis(1, rank: max(x.shape.count, 1))])))
    }
  }
}
