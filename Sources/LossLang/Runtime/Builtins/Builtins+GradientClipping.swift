/// Gradient clipping: `clip_grad_norm` over a tree of gradients.
extension Builtins {
  static func registerGradientClipping(in r: Registry) {
    r.builtin("clip_grad_norm", ["grads", "max_norm", "norm_type=2.0"], category: "training",
              doc: "clip_grad_norm(grads, max_norm, norm_type=2.0): grads (a tensor, or a list or dict of tensors) scaled by min(1, max_norm / (total + 1e-6)), where total is the norm_type-norm (> 0 or inf) of all their elements together; as torch.nn.utils.clip_grad_norm_, returning the clipped tree.") { a in
      let maxNorm = try a.double(1)
      guard maxNorm >= 0 else { throw a.error(1, "must be non-negative, got \(maxNorm)") }
      let p = try a.double(2)
      guard p > 0 else { throw a.error(2, "must be positive or inf, got \(p)") }
      let leaves = try a.evaluator.treeLeaves(a.values[0]) { a.error(0, $0) }
      let clipped = try GradientClipping.clip(leaves, maxNorm: maxNorm, p: p, a.tracer)
      return a.evaluator.replacingLeaves(of: a.values[0], with: clipped)
    }
  }
}
