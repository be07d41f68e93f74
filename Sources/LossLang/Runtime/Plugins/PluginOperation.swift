/// A plugin op inside the graph: the plugin's forward kernel, and a VJP that calls the
/// plugin's gradient kernel (itself not differentiable again).
struct PluginOperation: CustomOperation {
  /// Computes the output from the inputs.
  typealias Forward = @Sendable ([Tensor]) throws -> Tensor
  /// The gradient for input `index`, given inputs, output and the output's cotangent.
  typealias VJP = @Sendable (_ inputs: [Tensor], _ output: Tensor, _ cotangent: Tensor, _ index: Int) throws -> Tensor

  let name: String
  let computeForward: Forward
  let computeVJP: VJP?

  func forward(_ inputs: [Tensor]) throws -> Tensor { try computeForward(inputs) }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    guard let computeVJP else {
      throw TensorError("'\(name)' has no gradient (its plugin gives none)")
    }
    return try node.inputs.enumerated().map { index, input in
      guard needs[index] else { return nil }
      let op = PluginGradient(name: name, index: index, compute: computeVJP)
      return try tracer.custom(op, node.inputs + [node, g], shape: input.shape, dtype: input.dtype)
    }
  }
}

/// The gradient of a plugin op with respect to one input: inputs are the op's inputs,
/// then its output, then the output's cotangent.
struct PluginGradient: CustomOperation {
  let name: String
  let index: Int
  let compute: PluginOperation.VJP

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    guard inputs.count >= 2 else { throw TensorError("internal error: \(name) gradient without inputs") }
    let original = Array(inputs.dropLast(2))
    let result = try compute(original, inputs[inputs.count - 2], inputs[inputs.count - 1], index)
    let expected = original[index]
    guard result.shape == expected.shape else {
      throw TensorError("plugin '\(name)': gradient has shape \(result.shape), expected \(expected.shape)")
    }
    return try result.converted(to: expected.dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    throw TensorError("second-order gradients of plugin op '\(name)' are not supported")
  }
}
