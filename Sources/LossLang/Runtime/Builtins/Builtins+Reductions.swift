/// Reductions: `sum mean max min prod logsumexp norm var std argmax argmin any all`.
extension Builtins {
  static func registerReductions(in r: Registry) {
    let params = ["x", "axis=none", "keepdims=false"]
    for (name, op) in [("sum", ReduceOp.sum), ("prod", .prod), ("max", .max), ("min", .min)] {
      let tie = op == .max || op == .min ? " Ties share the gradient evenly." : ""
      r.builtin(name, params, category: "reduction",
                doc: "\(name)(x, axis=none, keepdims=false): \(name) over the given axes (int or list; none = all).\(tie)") { a in
        let x = try a.tensor(0)
        if (op == .max || op == .min), x.shape.isEmpty, !a.isNone(1) {
          // Python's max(0, x): the number 0 became `x` and the tensor became `axis`.
          let elementwise = op == .max ? "maximum(0, x) or relu(x)" : "minimum(0, x)"
          throw a.error(1, "is given but 'x' is a number; for the elementwise \(name)imum write \(elementwise)")
        }
        let axes = try a.axes(1, rank: x.shape.count) ?? Array(0..<x.shape.count)
        if (op == .max || op == .min), axes.contains(where: { x.shape[$0] == 0 }) {
          throw a.error(0, "cannot take the \(name) of an empty axis")
        }
        return .tensor(a.tracer.reduce(op, x, axes: axes, keepdims: try a.bool(2)))
      }
    }
    r.builtin("mean", params, category: "reduction",
              doc: "mean(x, axis=none, keepdims=false): arithmetic mean over the axes (NaN over an empty set).") { a in
      let x = try a.tensor(0)
      let axes = try a.axes(1, rank: x.shape.count)
      if let linter = a.evaluator.linter, (axes ?? Array(x.shape.indices)).contains(where: { x.shape[$0] == 0 }) {
        linter.emptyMean(shape: x.shape, at: a.tracer.span)
      }
      return .tensor(try mean(x, axes: axes, keepdims: try a.bool(2), a.tracer))
    }
    r.builtin("logsumexp", params, category: "reduction",
              doc: "logsumexp(x, axis=none, keepdims=false): log(sum(exp(x))), computed stably.") { a in
      let x = try a.tensor(0)
      let axes = try a.axes(1, rank: x.shape.count) ?? Array(0..<x.shape.count)
      return .tensor(a.tracer.logsumexp(x, axes: axes, keepdims: try a.bool(2)))
    }
    r.builtin("norm", ["x", "p=2", "axis=none", "keepdims=false"], category: "reduction",
              doc: "norm(x, p=2, axis=none, keepdims=false): the p-norm (p > 0 or inf) over the axes; gradient 0 at 0.") { a in
      let x = try a.tensor(0)
      let p = try a.double(1)
      guard p > 0 else { throw a.error(1, "must be positive, got \(p)") }
      let axes = try a.axes(2, rank: x.shape.count) ?? Array(0..<x.shape.count)
      if p == .infinity, axes.contains(where: { x.shape[$0] == 0 }) {
        throw a.error(0, "cannot take the inf-norm of an empty axis")
      }
      return .tensor(a.tracer.norm(x, p: p, axes: axes, keepdims: try a.bool(3)))
    }
    for name in ["var", "std"] {
      r.builtin(name, ["x", "axis=none", "keepdims=false", "correction=1"], category: "reduction",
                doc: "\(name)(x, axis=none, keepdims=false, correction=1): \(name == "var" ? "variance" : "standard deviation") with Bessel's correction by default (torch.\(name)).") { a in
        let x = try a.tensor(0)
        let t = a.tracer
        let axes = try a.axes(1, rank: x.shape.count) ?? Array(0..<x.shape.count)
        let keep = try a.bool(2)
        let n = axes.reduce(1) { $0 * x.shape[$1] }
        let centered = try t.sub(x, mean(x, axes: axes, keepdims: true, t))
        let ss = t.reduce(.sum, try t.mul(centered, centered), axes: axes, keepdims: keep)
        // As torch: the divisor is max(0, n - correction), so too few elements give NaN.
        let v = try t.div(ss, t.scalar(max(0, Double(n) - (try a.double(3))), x.dtype))
        return .tensor(name == "var" ? v : t.unary(.sqrt, v))
      }
    }
    for (name, isMax) in [("argmax", true), ("argmin", false)] {
      r.builtin(name, params, category: "reduction",
                doc: "\(name)(x, axis=none, keepdims=false): index of the first \(isMax ? "largest" : "smallest") element (flat when axis is none).") { a in
        let x = try a.tensor(0)
        let axis = try a.isNone(1) ? nil : a.axis(1, rank: max(x.shape.count, 1))
        if let axis, !x.shape.isEmpty {
          guard x.shape[axis] > 0 else { throw a.error(0, "cannot take the \(name) of an empty axis") }
        } else {
          guard x.count > 0 else { throw a.error(0, "cannot take the \(name) of an empty tensor") }
        }
        return .tensor(a.tracer.argReduce(x, max: isMax, axis: x.shape.isEmpty ? nil : axis, keepdims: try a.bool(2)))
      }
    }
    for (name, isAny) in [("any", true), ("all", false)] {
      r.builtin(name, params, category: "reduction",
                doc: "\(name)(x, axis=none, keepdims=false): whether \(isAny ? "any" : "every") element over the axes is true (nonzero), as a bool tensor; \(isAny ? "false" : "true") over an empty set.") { a in
        let x = try a.tensor(0)
        let t = a.tracer
        let axes = try a.axes(1, rank: x.shape.count) ?? Array(0..<x.shape.count)
        // any: some element is nonzero; all: no element is zero (NaN counts as true).
        let hits = try t.compare(isAny ? .notEqual : .equal, x, t.scalar(0, x.dtype))
        let count = t.reduce(.sum, hits, axes: axes, keepdims: try a.bool(2))
        return .tensor(try t.compare(isAny ? .greater : .equal, count, t.scalar(0, count.dtype)))
      }
    }
  }

  /// `sum(x, axes) / count`; all axes when `axes` is nil.
  static func mean(_ x: Node, axes: [Int]?, keepdims: Bool, _ t: Tracer) throws -> Node {
    let axes = axes ?? Array(0..<x.shape.count)
    let n = axes.reduce(1) { $0 * x.shape[$1] }
    let x = t.numeric(x)
    return try t.div(t.reduce(.sum, x, axes: axes, keepdims: keepdims), t.scalar(Double(n), x.dtype))
  }
}
