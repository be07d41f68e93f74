/// The first-order linear recurrence along an axis: `r_i = b_i + a_i·r_{i−1}` from the start
/// of each line, or `r_i = b_i + a_i·r_{i+1}` from its end (`reversed`); inputs `[a, b]` of
/// one shape. The coefficient at the line's first element (last, when reversed) is unused.
///
/// `cumprod`'s gradient is one such scan, so building it from this op keeps it exact where
/// the input has zeros and differentiable to any order: the VJP is the scan the other way.
struct LinearScan: CustomOperation {
  /// The axis (the inputs have rank ≥ 1).
  let axis: Int
  /// Whether the recurrence runs from the end of each line.
  let reversed: Bool

  var name: String { reversed ? "reversed_linear_scan" : "linear_scan" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let a = inputs[0].scalars, b = inputs[1].scalars
    var r = [Double](repeating: 0, count: b.count)
    let lines = AxisLines(shape: inputs[1].shape, axis: axis)
    for line in 0..<lines.count {
      var previous = 0.0
      for step in 0..<lines.length {
        let p = lines.position(line, reversed ? lines.length - 1 - step : step)
        previous = step == 0 ? b[p] : b[p] + a[p] * previous
        r[p] = previous
      }
    }
    return try Tensor(r, shape: inputs[1].shape, dtype: inputs[1].dtype)
  }

  /// With cotangent `c`, the adjoint `s` runs the other way, each coefficient moved to the
  /// element it multiplies (`s_i = c_i + a_{i+1}·s_{i+1}` for a forward scan); then
  /// `∂b = s` and `∂a_i = s_i·r_{i−1}` (`r_{i+1}` when reversed).
  func vjp(_ node: Node, _ c: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    let coefficients = try tracer.shifted(node.inputs[0], axis: axis, forward: reversed, fill: 0)
    let adjoint = LinearScan(axis: axis, reversed: !reversed)
    let s = try tracer.custom(adjoint, [coefficients, c], shape: c.shape, dtype: c.dtype)
    guard needs[0] else { return [nil, s] }
    let neighbours = try tracer.shifted(node, axis: axis, forward: !reversed, fill: 0)
    return [try tracer.mul(s, neighbours), needs[1] ? s : nil]
  }
}

extension Tracer {
  /// `x` moved one step along `axis` (rank ≥ 1): `out_i = x_{i−1}` when `forward`, else
  /// `x_{i+1}`, with `fill` in the element left empty. Differentiable (a gather and a concat).
  func shifted(_ x: Node, axis: Int, forward: Bool, fill: Double) throws -> Node {
    let n = x.shape[axis]
    guard n > 1 else {
      return n == 0 ? x : constant(try Tensor.full(x.shape, value: fill, dtype: x.dtype))
    }
    var ranges = x.shape.map { StrideRange(start: 0, count: $0, step: 1) }
    ranges[axis] = StrideRange(start: forward ? 0 : 1, count: n - 1, step: 1)
    var keptShape = x.shape, edgeShape = x.shape
    keptShape[axis] = n - 1
    edgeShape[axis] = 1
    let kept = gather(x, try IndexList.strided(shape: x.shape, ranges), shape: keptShape)
    let edge = constant(try Tensor.full(edgeShape, value: fill, dtype: x.dtype))
    return try concat(forward ? [edge, kept] : [kept, edge], axis: axis)
  }
}
