/// Per-class counts of a prediction against its target, over scikit-learn's labels: the
/// sorted union of the classes either one holds. Precision, recall and F1 under every
/// `average` are computed from these counts alone.
struct ConfusionCounts {
  /// The classes present in the target or the prediction, ascending.
  let labels: [Int]
  /// Per label: samples of that class predicted as it.
  let truePositives: [Int]
  /// Per label: samples predicted as that class.
  let predicted: [Int]
  /// Per label: samples truly of that class (scikit-learn's support).
  let actual: [Int]

  /// Counts `pair` in one pass.
  init(_ pair: ClassificationPair) {
    labels = Set(pair.target).union(pair.pred).sorted()
    let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
    var truePositives = [Int](repeating: 0, count: labels.count)
    var predicted = truePositives
    var actual = truePositives
    for (t, p) in zip(pair.target, pair.pred) {
      guard let i = position[t], let j = position[p] else { continue }
      actual[i] += 1
      predicted[j] += 1
      if i == j { truePositives[i] += 1 }
    }
    self.truePositives = truePositives
    self.predicted = predicted
    self.actual = actual
  }

  /// The counts of one class, zero when it is absent.
  func counts(of label: Int) -> ClassCounts {
    guard let i = labels.firstIndex(of: label) else { return ClassCounts(truePositives: 0, predicted: 0, actual: 0) }
    return ClassCounts(truePositives: truePositives[i], predicted: predicted[i], actual: actual[i])
  }

  /// The counts of every label, in order.
  var perClass: [ClassCounts] {
    labels.indices.map { ClassCounts(truePositives: truePositives[$0], predicted: predicted[$0], actual: actual[$0]) }
  }

  /// The counts summed over the labels (scikit-learn's "micro" pooling).
  var pooled: ClassCounts {
    ClassCounts(
      truePositives: truePositives.reduce(0, +), predicted: predicted.reduce(0, +), actual: actual.reduce(0, +))
  }
}
