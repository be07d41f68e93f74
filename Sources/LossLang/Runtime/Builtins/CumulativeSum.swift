/// `cumsum` along an axis, or its mirror image (sums from the end of each line).
///
/// Accumulates in float64 and rounds each output to the input's dtype, as PyTorch's CPU
/// kernel does. Its VJP is the reversed cumulative sum of the cotangent (another
/// `CumulativeSum`), so it is differentiable to any order.
struct CumulativeSum: CustomOperation {
  /// The axis (0 for a 0-d tensor).
  let axis: Int
  /// Whether each element is the sum of itself and the elements after it.
  let reversed: Bool

  var name: String { reversed ? "reversed_cumsum" : "cumsum" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let x = inputs[0]
    let out = AxisLines(shape: x.shape, axis: axis).scan(x.scalars, initial: 0, reversed: reversed, +)
    return try Tensor(out, shape: x.shape, dtype: x.dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    guard needs.first == true else { return [nil] }
    let mirror = CumulativeSum(axis: axis, reversed: !reversed)
    return [try tracer.custom(mirror, [g], shape: g.shape, dtype: g.dtype)]
  }
}
