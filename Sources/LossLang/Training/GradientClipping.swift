/// Gradient clipping by the total norm, as `torch.nn.utils.clip_grad_norm_`, recorded as
/// graph operations (so the clipped gradients are differentiable like any other value).
enum GradientClipping {
  /// `leaves` scaled by `min(1, maxNorm / (total + 1e-6))`, where `total` is the `p`-norm
  /// (p > 0 or infinity) of every leaf's elements together.
  ///
  /// As torch, `total` is the norm of the leaves' norms, and each leaf is multiplied by the
  /// coefficient in its own dtype. An empty leaf adds nothing to the total (torch's inf-norm
  /// would reject it); with no element at all, the leaves come back unchanged.
  static func clip(_ leaves: [Node], maxNorm: Double, p: Double, _ t: Tracer) throws -> [Node] {
    let norms = try leaves.filter { $0.count > 0 }.map { leaf in
      try t.reshape(t.norm(leaf, p: p, axes: Array(leaf.shape.indices), keepdims: false), [1])
    }
    guard !norms.isEmpty else { return leaves }
    let total = t.norm(try t.concat(norms, axis: 0), p: p, axes: [0], keepdims: false)
    let coefficient = try t.div(t.scalar(maxNorm, total.dtype), t.add(total, 1e-6))
    // torch.clamp(coefficient, max=1): the gradient passes where coefficient <= 1.
    let one = t.scalar(1, total.dtype)
    let clamped = try t.select(t.compare(.lessEqual, coefficient, one), coefficient, one)
    return try leaves.map { try t.mul($0, t.cast(clamped, to: $0.dtype)) }
  }
}
