/// Ranking and calibration metrics: `roc_auc_score calibration_error recall_at_k`, over the
/// mechanics in Training/Metrics. A result is a 0-d tensor without a gradient, float64 when
/// the scores, probabilities or embeddings are float64 and float32 otherwise.
extension Builtins {
  static func registerRankingMetrics(in r: Registry) {
    r.builtin("roc_auc_score", ["target", "scores"], category: "metrics",
              doc: "roc_auc_score(target, scores): the area under the ROC curve (scikit-learn's roc_auc_score, binary): the chance a random positive (target 1) scores above a random negative (target 0), ties counting ½. target and scores are 1-D of one length; target must hold both classes. No gradient.") { a in
      let (target, scores) = (try a.metricInput(0), try a.metricInput(1))
      let value = try a.metric { try ROCAUCScore.compute(target: target, scores: scores) }
      return a.metricResult(value, like: scores)
    }
    r.builtin("calibration_error", ["probs", "target", "bins=15"], category: "metrics",
              doc: "calibration_error(probs, target, bins=15): the expected calibration error (L1, equal-width bins over [0, 1], as torchmetrics): Σ over bins of (share of samples)·|accuracy − mean confidence|. 1-D probs: binary, the probability of class 1 against a 0/1 target (BinaryCalibrationError); 2-D (samples, classes): the top probability as confidence, argmax == target as accuracy (MulticlassCalibrationError). A confidence of 1 has a bin of its own, as in torchmetrics. No gradient.") { a in
      let (probs, target) = (try a.metricInput(0), try a.metricInput(1))
      let bins = try a.int(2)
      let value = try a.metric {
        try ExpectedCalibrationError.compute(probs: probs, target: target, bins: bins)
      }
      return a.metricResult(value, like: probs)
    }
    r.builtin("recall_at_k", ["embeddings", "labels", "k=1"], category: "metrics",
              doc: "recall_at_k(embeddings, labels, k=1): the share of samples whose k nearest other samples (Euclidean distance between rows of the (samples, features) embeddings; the sample itself excluded) include one with its label. On equal distances the sample of lower index is nearer. 1 ≤ k < samples. No gradient.") { a in
      let (embeddings, labels) = (try a.metricInput(0), try a.metricInput(1))
      let k = try a.int(2)
      let value = try a.metric {
        try RecallAtK.compute(embeddings: embeddings, labels: labels, k: k)
      }
      return a.metricResult(value, like: embeddings)
    }
  }
}

extension Arguments {
  /// The argument as a materialized tensor (a metric reads every value).
  fileprivate func metricInput(_ i: Int) throws -> Tensor {
    try evaluator.materialize(tensor(i))
  }

  /// A metric's value as a constant 0-d tensor, float64 when `input` is float64, else float32.
  fileprivate func metricResult(_ value: Double, like input: Tensor) -> RuntimeValue {
    .tensor(tracer.constant(Tensor(scalar: value, dtype: input.dtype == .float64 ? .float64 : .float32)))
  }
}
