/// `cumprod` along an axis.
///
/// Multiplies in float64 and rounds each output to the input's dtype, as PyTorch's CPU
/// kernel does. Its VJP is the exact derivative, also where the input has zeros (as
/// PyTorch's `cumprod_backward`), built from graph operations so it is differentiable again:
/// along a line, `∂L/∂x_i = Π_{m<i} x_m · r_i` with `r_i = g_i + x_{i+1}·r_{i+1}`, the
/// reversed `LinearScan` of the cotangent `g`; no division, so a zero needs no special case.
struct CumulativeProduct: CustomOperation {
  /// The axis (0 for a 0-d tensor).
  let axis: Int

  var name: String { "cumprod" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let x = inputs[0]
    let out = AxisLines(shape: x.shape, axis: axis).scan(x.scalars, initial: 1, *)
    return try Tensor(out, shape: x.shape, dtype: x.dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    guard needs.first == true else { return [nil] }
    let x = node.inputs[0]
    guard !x.shape.isEmpty else { return [g] }
    let before = try tracer.shifted(node, axis: axis, forward: true, fill: 1)
    let next = try tracer.shifted(x, axis: axis, forward: false, fill: 0)
    let r = try tracer.custom(LinearScan(axis: axis, reversed: true), [next, g], shape: g.shape, dtype: g.dtype)
    return [try tracer.mul(before, r)]
  }
}
