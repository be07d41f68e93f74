/// The confusion matrix of a prediction: entry (i, j) counts the samples of true class i
/// predicted as class j, for the classes 0..<size.
///
/// With no class count given, the classes are 0 through the largest present. scikit-learn
/// instead indexes the rows and columns by the classes present only; the two agree when
/// every class up to the largest occurs (otherwise this matrix has the extra, empty rows
/// and columns of scikit-learn's `labels=range(size)`).
struct ConfusionMatrix {
  /// The number of classes: rows and columns.
  let size: Int
  /// The pair being counted.
  private let pair: ClassificationPair

  /// Checks `pair` against `numClasses` (nil: one more than the largest class present);
  /// a class index at or above it is an error naming the argument that holds it.
  init(_ pair: ClassificationPair, numClasses: Int?) throws {
    if let numClasses {
      guard numClasses >= 1 else {
        throw MetricArgumentError("num_classes", "must be at least 1, got \(numClasses)")
      }
      for (argument, classes) in [("target", pair.target), ("pred", pair.pred)] {
        if let bad = classes.first(where: { $0 >= numClasses }) {
          throw MetricArgumentError(argument, "holds class \(bad), which is not below num_classes=\(numClasses)")
        }
      }
    }
    self.pair = pair
    // The pair is not empty, so both maxima exist.
    size = numClasses ?? (max(pair.target.max() ?? 0, pair.pred.max() ?? 0) + 1)
  }

  /// The counts as a (size, size) tensor of `pair`'s result dtype (exact up to 2^24 in
  /// float32). The caller checks first that a tensor of this size is allowed.
  func tensor() throws -> Tensor {
    var counts = [Double](repeating: 0, count: try Tensor.elementCount([size, size]))
    for (t, p) in zip(pair.target, pair.pred) { counts[t * size + p] += 1 }
    return try Tensor(counts, shape: [size, size], dtype: pair.resultDType)
  }
}
