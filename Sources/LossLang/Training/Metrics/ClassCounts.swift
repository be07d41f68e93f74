/// The counts of one class (or of all pooled): true positives, predicted and actual totals.
struct ClassCounts {
  /// Samples of the class predicted as it.
  let truePositives: Int
  /// Samples predicted as the class.
  let predicted: Int
  /// Samples truly of the class.
  let actual: Int
}
