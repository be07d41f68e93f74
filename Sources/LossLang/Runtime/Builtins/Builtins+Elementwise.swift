/// Elementwise builtins: `exp log … relu clamp minimum maximum where pow square`.
extension Builtins {
  static func registerElementwise(in r: Registry) {
    let unaries: [(String, UnaryOp, String)] = [
      ("exp", .exp, "e^x"), ("log", .log, "natural logarithm"), ("log1p", .log1p, "log(1 + x), accurate near 0"),
      ("expm1", .expm1, "e^x - 1, accurate near 0"), ("sqrt", .sqrt, "square root"), ("abs", .abs, "|x| (gradient 0 at 0)"),
      ("sign", .sign, "-1, 0 or 1"), ("neg", .neg, "-x"), ("sin", .sin, "sine"), ("cos", .cos, "cosine"),
      ("tanh", .tanh, "hyperbolic tangent"), ("sigmoid", .sigmoid, "1 / (1 + e^-x), stable for large |x|"),
      ("logsigmoid", .logsigmoid, "log(sigmoid(x)) = min(x, 0) - log1p(e^-|x|)"),
      ("softplus", .softplus, "log(1 + e^x); x itself above 20 (PyTorch's threshold)"),
      ("floor", .floor, "round down"), ("ceil", .ceil, "round up"), ("round", .round, "round half to even"),
    ]
    for (name, op, summary) in unaries {
      r.builtin(name, ["x"], category: "elementwise", doc: "\(name)(x): \(summary), elementwise.") { a in
        // `log` ends most textbook traps (`log(sigmoid(x))`): the stable rewrites look there.
        let y = a.tracer.unary(op, try a.tensor(0))
        return .tensor(op == .log ? try a.tracer.rewritten(y) : y)
      }
    }
    r.builtin("rsqrt", ["x"], category: "elementwise", doc: "rsqrt(x): 1 / sqrt(x), elementwise.") { a in
      .tensor(a.tracer.unary(.reciprocal, a.tracer.unary(.sqrt, try a.tensor(0))))
    }
    r.builtin("square", ["x"], category: "elementwise", doc: "square(x): x * x, elementwise.") { a in
      let x = try a.tensor(0)
      return .tensor(try a.tracer.mul(x, x))
    }
    r.builtin("relu", ["x"], category: "elementwise",
              doc: "relu(x): max(x, 0), NaN at NaN; gradient 0 at 0 (as PyTorch) and at NaN.") { a in
      let x = try a.tensor(0)
      let t = a.tracer
      let zero = t.scalar(0, x.dtype)
      return .tensor(try t.piecewise(keep: t.binary(.greater, x, zero), x, drop: t.binary(.lessEqual, x, zero), zero))
    }
    r.builtin("pow", ["x", "exponent"], category: "elementwise", doc: "pow(x, exponent): x ^ exponent with broadcasting.") { a in
      .tensor(try a.tracer.binary(.pow, a.tensor(0), a.tensor(1)))
    }
    r.builtin("minimum", ["a", "b"], category: "elementwise",
              doc: "minimum(a, b): elementwise minimum; ties split the gradient evenly (torch.minimum).") { a in
      .tensor(try a.tracer.binary(.minimum, a.tensor(0), a.tensor(1)))
    }
    r.builtin("maximum", ["a", "b"], category: "elementwise",
              doc: "maximum(a, b): elementwise maximum; ties split the gradient evenly (torch.maximum).") { a in
      .tensor(try a.tracer.binary(.maximum, a.tensor(0), a.tensor(1)))
    }
    r.builtin("where", ["cond", "a", "b"], category: "elementwise",
              doc: "where(cond, a, b): a where cond is true (a bool) or nonzero (a number), else b; broadcasts all three.") { a in
      .tensor(try a.tracer.select(a.tensor(0), a.tensor(1), a.tensor(2)))
    }
    r.builtin("clamp", ["x", "min=none", "max=none"], category: "elementwise",
              doc: "clamp(x, min=none, max=none): limits x to [min, max], NaN at NaN; the gradient passes only where min < x < max (as torch 2.x).") { a in
      let t = a.tracer
      var x = try a.tensor(0)
      if let lo = try a.optionalTensor(1) {
        x = try t.piecewise(keep: t.binary(.greater, x, lo), x, drop: t.binary(.lessEqual, x, lo), lo)
      }
      if let hi = try a.optionalTensor(2) {
        x = try t.piecewise(keep: t.binary(.less, x, hi), x, drop: t.binary(.greaterEqual, x, hi), hi)
      }
      return .tensor(x)
    }
  }
}
