/// Precision, recall or F1 of a prediction, per class from its counts and combined by an
/// ``ClassificationAverage``, with scikit-learn's formulas and its default
/// `zero_division`: a score whose denominator is 0 is 0.0.
enum ClassificationScore {
  /// tp / predicted.
  case precision
  /// tp / actual.
  case recall
  /// 2·tp / (actual + predicted), the harmonic mean of precision and recall.
  case f1

  /// The score of `pair` under `average`; throws where `binary` does not apply.
  func value(of pair: ClassificationPair, average: ClassificationAverage) throws -> Double {
    let counts = ConfusionCounts(pair)
    try average.check(counts)
    switch average {
    case .binary:
      return score(counts.counts(of: ClassificationAverage.positiveClass))
    case .micro:
      return score(counts.pooled)
    case .macro:
      let scores = counts.perClass.map(score)
      return scores.reduce(0, +) / Double(scores.count)
    case .weighted:
      // The weights sum to the number of samples, never 0 (the pair is not empty).
      let weighted = counts.perClass.map { score($0) * Double($0.actual) }
      return weighted.reduce(0, +) / Double(counts.actual.reduce(0, +))
    }
  }

  /// The score of one class's counts (or of pooled counts).
  func score(_ c: ClassCounts) -> Double {
    switch self {
    case .precision: Self.ratio(Double(c.truePositives), Double(c.predicted))
    case .recall: Self.ratio(Double(c.truePositives), Double(c.actual))
    case .f1: Self.ratio(2 * Double(c.truePositives), Double(c.actual + c.predicted))
    }
  }

  /// numerator / denominator, 0 when the denominator is 0 (scikit-learn's zero_division).
  private static func ratio(_ numerator: Double, _ denominator: Double) -> Double {
    denominator == 0 ? 0 : numerator / denominator
  }
}
