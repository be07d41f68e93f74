/// The expected calibration error (L1 norm, equal-width bins) as torchmetrics computes it:
/// the samples fall into bins by confidence, and the error is Σ_b (n_b/n)·|accuracy_b −
/// confidence_b|, the per-bin means weighted by the share of samples in the bin.
///
/// 1-D probabilities are the binary form (`BinaryCalibrationError`): the confidence is the
/// probability of class 1 and the accuracy the target (0 or 1). 2-D probabilities (samples,
/// classes) are the multiclass form (`MulticlassCalibrationError`): the confidence is a row's
/// top probability and the accuracy 1 where its argmax (the first, on a tie) is the target.
///
/// Bins as torchmetrics makes them: edges i/bins (i = 0…bins) in the probabilities' dtype, a
/// confidence c in the bin of the last edge ≤ c, so c = 1 sits in a bin of its own. Where
/// torchmetrics' edges (torch.linspace) differ from i/bins in the last bit, a confidence
/// within that bit of an edge may land in the neighbouring bin. torchmetrics computes the
/// multiclass form in float32 whatever the input's dtype; LossLang keeps float64. An empty
/// input gives NaN (0/0), as in torchmetrics.
enum ExpectedCalibrationError {
  /// The calibration error of `probs` (in [0, 1]) against `target` (one per sample).
  static func compute(probs: Tensor, target: Tensor, bins: Int) throws(MetricArgumentError) -> Double {
    guard bins >= 1 else { throw MetricArgumentError("bins", "must be at least 1, got \(bins)") }
    guard probs.shape.count == 1 || probs.shape.count == 2 else {
      throw MetricArgumentError(
        "probs", "must be 1-D (binary: the probability of class 1) or 2-D (samples, classes), got shape \(probs.shape)")
    }
    let samples = probs.shape[0]
    guard target.shape == [samples] else {
      throw .shape("target", target, expected: [samples], because: "one class per sample of probs")
    }
    let p = probs.scalars
    if let bad = p.first(where: { !($0 >= 0 && $0 <= 1) }) {
      throw MetricArgumentError("probs", "must hold probabilities in [0, 1], got \(TensorFormatter.number(bad))")
    }
    let (confidences, accuracies) = try probs.shape.count == 1
      ? binary(p, target.scalars)
      : multiclass(p, classes: probs.shape[1], target.scalars)
    let edges = BinEdges(count: bins, float32: probs.dtype != .float64)
    return weightedGap(confidences, accuracies, edges: edges)
  }

  /// The binary form: the confidence is the probability, the accuracy the target.
  private static func binary(_ p: [Double], _ target: [Double]) throws(MetricArgumentError) -> ([Double], [Double]) {
    if let bad = target.first(where: { $0 != 0 && $0 != 1 }) {
      throw MetricArgumentError("target", "must hold 0 and 1 for 1-D probs (binary), got \(TensorFormatter.number(bad))")
    }
    return (p, target)
  }

  /// The multiclass form: each row's top probability, and whether its argmax is the target.
  private static func multiclass(_ p: [Double], classes: Int, _ target: [Double]) throws(MetricArgumentError) -> ([Double], [Double]) {
    if let bad = target.first(where: { !($0 >= 0 && $0 < Double(classes) && $0.rounded() == $0) }) {
      throw MetricArgumentError("target", "must hold class indices in [0, \(classes)), got \(TensorFormatter.number(bad))")
    }
    var (confidences, accuracies) = ([Double](), [Double]())
    for (row, label) in target.enumerated() {
      var best = 0
      for c in 1..<max(classes, 1) where p[row * classes + c] > p[row * classes + best] { best = c }
      confidences.append(p[row * classes + best])
      accuracies.append(Double(best) == label ? 1 : 0)
    }
    return (confidences, accuracies)
  }

  /// Σ_b (n_b/n)·|mean accuracy_b − mean confidence_b| over the bins that hold samples.
  private static func weightedGap(_ confidences: [Double], _ accuracies: [Double], edges: BinEdges) -> Double {
    var sums: [Int: (count: Double, confidence: Double, accuracy: Double)] = [:]
    for (c, a) in zip(confidences, accuracies) {
      let bin = edges.bin(of: c)
      let s = sums[bin] ?? (0, 0, 0)
      sums[bin] = (s.count + 1, s.confidence + c, s.accuracy + a)
    }
    let total = Double(confidences.count)
    guard total > 0 else { return .nan }
    return sums.keys.sorted().reduce(0) { error, bin in
      let s = sums[bin] ?? (0, 0, 0)
      return error + s.count / total * abs(s.accuracy / s.count - s.confidence / s.count)
    }
  }

  /// Equal-width bin edges i/count over [0, 1], rounded to the probabilities' precision.
  private struct BinEdges {
    let count: Int
    let float32: Bool

    /// Edge `i` (0…count).
    func edge(_ i: Int) -> Double {
      float32 ? Double(Float(i) / Float(count)) : Double(i) / Double(count)
    }

    /// The bin of a confidence in [0, 1]: the index of the last edge ≤ c (count for c = 1),
    /// by bisection (the rounded edges never decrease).
    func bin(of c: Double) -> Int {
      var (low, high) = (0, count)
      while low < high {
        let middle = low + (high - low + 1) / 2
        if edge(middle) <= c { low = middle } else { high = middle - 1 }
      }
      return low
    }
  }
}
