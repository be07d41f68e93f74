/// A native operation defined outside the primitive set: its own forward kernel and VJP.
///
/// Used where a loss cannot be written well from primitives (CTC's dynamic programming)
/// and by plugins. The VJP builds its result with the tracer, so it may itself use custom
/// operations; a VJP that is not differentiable again should say so in its documentation.
protocol CustomOperation: Sendable {
  /// The name shown in graphs and error messages.
  var name: String { get }
  /// Computes the output from the input values.
  func forward(_ inputs: [Tensor]) throws -> Tensor
  /// Cotangents of the inputs (nil = zero) given the output node and its cotangent `g`.
  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?]
}

extension Tracer {
  /// Records a custom operation whose output shape and dtype the caller has computed.
  func custom(_ op: any CustomOperation, _ inputs: [Node], shape: [Int], dtype: DType) throws -> Node {
    try checkSize(shape, dtype)
    return Node(op: .custom(op), inputs: inputs, shape: shape, dtype: dtype, span: span)
  }
}
