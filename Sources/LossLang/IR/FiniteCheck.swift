/// NaN/Inf tracing (`--check-finite`): the first primitive whose output is not finite stops
/// evaluation with an error at its source span and the input values that produced it.
enum FiniteCheck {
  /// Throws if `result` (the value of `node` computed from `inputs`) holds NaN or ±Inf
  /// where its inputs did not.
  static func verify(_ node: Node, _ result: Tensor, _ inputs: [Tensor]) throws {
    guard let index = (0..<result.count).first(where: { !result[flat: $0].isFinite }) else { return }
    // A non-finite input passed through is reported where it first appeared.
    let atIndex = inputs.map { value(of: $0, at: index, in: result.shape) }
    if atIndex.contains(where: { $0.map { !$0.isFinite } ?? false }) { return }
    let what = text(result[flat: index])
    let position = result.shape.isEmpty ? "" : " at \(MultiIndex.of(index, in: result.shape))"
    let from = atIndex.isEmpty ? "" : " from " + atIndex.map { $0.map(text) ?? "…" }.joined(separator: ", ")
    let prefix = node.isGradient ? "in the gradient of this expression, " : ""
    throw LocatedTensorError(
      error: TensorError("non-finite value: \(prefix)'\(node.op.name)' produced \(what)\(position)\(from)"),
      span: node.span)
  }

  /// The element of a (broadcast) input that met output element `flat`, if it can be named.
  private static func value(of input: Tensor, at flat: Int, in shape: [Int]) -> Double? {
    if input.count == 1 { return input[flat: 0] }
    if input.shape == shape { return input[flat: flat] }
    return nil
  }

  private static func text(_ v: Double) -> String {
    v.isNaN ? "nan" : v.isInfinite ? (v > 0 ? "inf" : "-inf") : "\(v)"
  }
}
