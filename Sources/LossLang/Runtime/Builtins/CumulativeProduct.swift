/// `cumprod` along an axis.
///
/// Multiplies in float64 and rounds each output to the input's dtype, as PyTorch's CPU
/// kernel does. Its VJP is `CumulativeProductGradient`.
struct CumulativeProduct: CustomOperation {
  /// The axis (0 for a 0-d tensor).
  let axis: Int

  var name: String { "cumprod" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let x = inputs[0]
    let values = x.scalars
    var out = [Double](repeating: 0, count: values.count)
    let lines = AxisLines(shape: x.shape, axis: axis)
    for line in 0..<lines.count {
      var product = 1.0
      for i in 0..<lines.length {
        let p = lines.position(line, i)
        product *= values[p]
        out[p] = product
      }
    }
    return try Tensor(out, shape: x.shape, dtype: x.dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    guard needs.first == true else { return [nil] }
    let x = node.inputs[0]
    return [try tracer.custom(CumulativeProductGradient(axis: axis), [x, g], shape: x.shape, dtype: x.dtype)]
  }
}

/// The gradient of `cumprod` with respect to its input, correct where the input has zeros
/// (PyTorch's `cumprod_backward`, computed natively in float64).
///
/// Inputs are `[x, g]`. Along each line, with `y = cumprod(x)` and `z` the position of the
/// first zero (the line's length when there is none), the result at `i` is
/// `Σ_{z > j ≥ i} g_j·y_j / x_i` for `i < z`; `y_{z-1}·Σ_{j ≥ z} g_j·Π_{z < m ≤ j} x_m` at `z`;
/// and 0 after `z`.
///
/// This operation is not differentiable again: its VJP raises an error, so a second-order
/// gradient through `cumprod` fails clearly instead of returning a wrong number.
struct CumulativeProductGradient: CustomOperation {
  let axis: Int

  var name: String { "cumprod_backward" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let x = inputs[0].scalars, g = inputs[1].scalars
    var out = [Double](repeating: 0, count: x.count)
    let lines = AxisLines(shape: inputs[0].shape, axis: axis)
    for line in 0..<lines.count {
      let p = { (i: Int) in lines.position(line, i) }
      let zero = (0..<lines.length).first { x[p($0)] == 0 } ?? lines.length
      var prefix = [Double](repeating: 1, count: zero + 1)
      for i in 0..<zero { prefix[i + 1] = prefix[i] * x[p(i)] }
      var total = 0.0
      for i in stride(from: zero - 1, through: 0, by: -1) {
        total += g[p(i)] * prefix[i + 1]
        out[p(i)] = total / x[p(i)]
      }
      guard zero < lines.length else { continue }
      var after = 0.0, running = 1.0
      for j in zero..<lines.length {
        if j > zero { running *= x[p(j)] }
        after += g[p(j)] * running
      }
      out[p(zero)] = prefix[zero] * after
    }
    return try Tensor(out, shape: inputs[0].shape, dtype: inputs[0].dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    throw TensorError("cumprod: second-order gradients are not supported (the gradient of cumprod is computed natively and cannot be differentiated again)")
  }
}
