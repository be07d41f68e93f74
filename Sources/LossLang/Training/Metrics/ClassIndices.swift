/// The class indices a classification metric reads from one tensor: whole numbers from 0
/// up, one per element (a bool tensor holds 0 and 1).
struct ClassIndices {
  /// The largest class index accepted (2^53): above it a float no longer tells whole
  /// numbers apart.
  static let limit = 9_007_199_254_740_992.0

  /// The indices, in the tensor's C order.
  let values: [Int]

  /// Reads `tensor`'s elements, which must be whole numbers in 0…2^53.
  init(_ tensor: Tensor, as argument: String) throws {
    var values: [Int] = []
    values.reserveCapacity(tensor.count)
    for i in 0..<tensor.count {
      let v = tensor[flat: i]
      guard v.isFinite, v.rounded() == v else {
        throw MetricArgumentError(argument, "must hold class indices (whole numbers), got \(Self.text(v))")
      }
      guard v >= 0 else {
        throw MetricArgumentError(argument, "must hold non-negative class indices, got \(Self.text(v))")
      }
      guard v <= Self.limit else {
        throw MetricArgumentError(argument, "must hold class indices up to 2^53, got \(Self.text(v))")
      }
      values.append(Int(v))
    }
    self.values = values
  }

  /// A value as an error message shows it: whole numbers without a fraction, `nan`, `inf`.
  private static func text(_ v: Double) -> String { TensorFormatter.number(v) }
}
