/// A metric's input that the metric cannot take: the parameter at fault and what is wrong
/// with it. The builtin binding turns it into `name: argument 'parameter' message`.
struct MetricArgumentError: Error, Sendable {
  /// The parameter's name, as the builtin declares it.
  let argument: String
  /// What is wrong, e.g. `must be 1-D, got shape [2, 3]`.
  let message: String

  init(_ argument: String, _ message: String) {
    (self.argument, self.message) = (argument, message)
  }

  /// The error for an argument whose shape is not `expected`.
  static func shape(_ argument: String, _ tensor: Tensor, expected: [Int], because reason: String) -> Self {
    Self(argument, "must have shape \(expected) (\(reason)), got \(tensor.shape)")
  }

  /// Fails when a value of `values` is not finite (NaN or ±inf).
  static func requireFinite(_ argument: String, _ values: [Double]) throws(Self) {
    if let bad = values.first(where: { !$0.isFinite }) {
      throw Self(argument, "must be finite, got \(TensorFormatter.number(bad))")
    }
  }
}
