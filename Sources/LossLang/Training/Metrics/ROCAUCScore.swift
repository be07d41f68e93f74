/// The area under the ROC curve of a binary target and real-valued scores, as
/// scikit-learn's `roc_auc_score` gives it: the probability that a random positive scores
/// above a random negative, a tie counting one half (the trapezoid between the ROC points of
/// a group of tied scores; the Mann–Whitney U with average ranks, divided by P·N).
enum ROCAUCScore {
  /// The AUC of `scores` (1-D, finite) against `target` (1-D, the same length, holding both
  /// 0 and 1; 1 is the positive class).
  static func compute(target: Tensor, scores: Tensor) throws(MetricArgumentError) -> Double {
    guard target.shape.count == 1 else {
      throw MetricArgumentError("target", "must be 1-D (one class per sample), got shape \(target.shape)")
    }
    guard scores.shape == target.shape else {
      throw .shape("scores", scores, expected: target.shape, because: "one score per sample of target")
    }
    let labels = target.scalars
    let values = scores.scalars
    if let bad = labels.first(where: { $0 != 0 && $0 != 1 }) {
      throw MetricArgumentError("target", "must hold binary classes 0 and 1, got \(TensorFormatter.number(bad))")
    }
    try MetricArgumentError.requireFinite("scores", values)
    let positives = labels.filter { $0 == 1 }.count
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else {
      let only = labels.isEmpty ? "no samples" : "only class \(positives > 0 ? 1 : 0)"
      throw MetricArgumentError("target", "must hold both classes 0 and 1 (ROC AUC is not defined otherwise), got \(only)")
    }
    return orderedPairs(labels: labels, scores: values) / (Double(positives) * Double(negatives))
  }

  /// The number of (positive, negative) pairs the positive scores above, a tie counting ½.
  /// Every term is a whole or half number, so the sum is exact below 2^52.
  private static func orderedPairs(labels: [Double], scores: [Double]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var (pairs, negativesBelow) = (0.0, 0.0)
    var start = 0
    while start < order.count {
      var end = start
      var (positives, negatives) = (0.0, 0.0)
      while end < order.count, scores[order[end]] == scores[order[start]] {
        if labels[order[end]] == 1 { positives += 1 } else { negatives += 1 }
        end += 1
      }
      pairs += positives * negativesBelow + positives * negatives / 2
      negativesBelow += negatives
      start = end
    }
    return pairs
  }
}
