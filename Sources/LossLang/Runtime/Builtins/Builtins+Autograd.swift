/// Autograd builtins: `grad value_and_grad detach stop_gradient gradcheck`.
extension Builtins {
  static func registerAutograd(in r: Registry) {
    r.builtin("grad", ["y", "x"], category: "autograd",
              doc: "grad(y, x): dy/dx for a scalar y computed from x; x may be a tree (a list or dict of tensors), giving a tree of gradients of the same structure. Gradients are graph values, so grad(grad(…)) works.") { a in
      let y = try a.tensor(0)
      let leaves = try a.evaluator.treeLeaves(a.values[1]) { a.error(1, $0) }
      return a.evaluator.replacingLeaves(of: a.values[1], with: try a.tracer.gradients(of: y, wrt: leaves))
    }
    r.builtin("value_and_grad", ["f", "args..."], category: "autograd",
              doc: "value_and_grad(f, args…): [f(args…), [df/darg for each argument]]; an argument may be a tree, and its gradient is a tree of the same structure.") { a in
      let f = try a.function(0)
      let args = try a.list(1)
      let y = try a.evaluator.call(f, args)
      guard case .tensor(let yn) = y else { throw a.error(0, "must return a tensor, got \(y.typeName)") }
      let leaves = try args.map { try a.evaluator.treeLeaves($0) { a.error(1, $0) } }
      var grads = try a.tracer.gradients(of: yn, wrt: leaves.flatMap { $0 })[...]
      let trees = zip(args, leaves).map { arg, argLeaves in
        defer { grads = grads.dropFirst(argLeaves.count) }
        return a.evaluator.replacingLeaves(of: arg, with: Array(grads.prefix(argLeaves.count)))
      }
      return .list([y, .list(trees)])
    }
    for name in ["detach", "stop_gradient"] {
      r.builtin(name, ["x"], category: "autograd",
                doc: "\(name)(x): x's value with its history cut: no gradient flows through it, and the history is freed. x may be a tree (a list or dict of tensors).") { a in
        let x = a.values[0]
        let leaves = try a.evaluator.treeLeaves(x) { a.error(0, $0) }
        let values = try a.evaluator.materialize(leaves)
        let detached = zip(leaves, values).map { a.tracer.constant($1, weak: $0.isWeak) }
        return a.evaluator.replacingLeaves(of: x, with: detached)
      }
    }
    r.builtin("gradcheck", ["f", "args...", "eps=1e-6", "atol=1e-5", "rtol=1e-3"], category: "autograd",
              doc: "gradcheck(f, args…, eps=1e-6, atol=1e-5, rtol=1e-3): compares f's gradients with central finite differences in float64; returns true or raises an error showing the worst entry.") { a in
      try GradientCheck(arguments: a).run()
    }
  }
}

/// Finite-difference verification of a function's gradients, in float64.
struct GradientCheck {
  let arguments: Arguments

  /// Returns `true`, or throws an error naming the worst element.
  func run() throws -> RuntimeValue {
    let a = arguments
    let f = try a.function(0)
    let eps = try a.double(2), atol = try a.double(3), rtol = try a.double(4)
    let t = a.tracer
    let inputs = try a.list(1).map { v -> Tensor in
      guard let n = try a.evaluator.tensorValue(v) else { throw a.error(1, "must be tensors, got \(v.typeName)") }
      return try a.evaluator.materialize(n).converted(to: .float64)
    }
    let nodes = inputs.map { t.constant($0) }
    let y = try output(f, nodes.map { .tensor($0) })
    let analytic = try t.gradients(of: y, wrt: nodes).map { try a.evaluator.materialize($0) }
    var worst: (excess: Double, arg: Int, index: Int, analytic: Double, numeric: Double)?
    for (k, x) in inputs.enumerated() {
      for i in 0..<x.count {
        let numeric = try (value(f, inputs, k, i, eps) - value(f, inputs, k, i, -eps)) / (2 * eps)
        let g = analytic[k][flat: i]
        let excess = abs(g - numeric) - (atol + rtol * abs(numeric))
        if excess > 0 || g.isNaN != numeric.isNaN, excess > (worst?.excess ?? 0) || worst == nil {
          worst = (excess.isNaN ? .infinity : excess, k, i, g, numeric)
        }
      }
    }
    if let w = worst {
      throw LossLangError(.runtime,
        "gradcheck failed for \(f.name): argument \(w.arg + 1), element \(w.index): analytic \(w.analytic) vs numeric \(w.numeric)")
    }
    return .bool(true)
  }

  private func output(_ f: Function, _ args: [RuntimeValue]) throws -> Node {
    let y = try arguments.evaluator.call(f, args)
    guard case .tensor(let n) = y, n.count == 1 else {
      throw arguments.error(0, "must return a scalar, got \(y.typeName)")
    }
    return try arguments.tracer.cast(n, to: .float64)
  }

  /// f evaluated with element `i` of argument `k` moved by `delta`.
  private func value(_ f: Function, _ inputs: [Tensor], _ k: Int, _ i: Int, _ delta: Double) throws -> Double {
    let t = arguments.tracer
    let moved = try Tensor(inputs[k].scalars, shape: inputs[k].shape, dtype: .float64)
    moved[flat: i] += delta
    let args = inputs.enumerated().map { j, x in RuntimeValue.tensor(t.constant(j == k ? moved : x)) }
    return try arguments.evaluator.scalar(output(f, args))
  }
}
