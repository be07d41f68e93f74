/// Classification metrics with scikit-learn's names, argument order (the truth first) and
/// results: `accuracy_score precision_score recall_score f1_score confusion_matrix`.
/// The counting is in `Training/Metrics`; results are constants without a gradient.
extension Builtins {
  static func registerClassificationMetrics(in r: Registry) {
    let indices = "target: 1-D class indices (whole numbers from 0, or a bool tensor); pred: class indices of the same shape"
    r.builtin("accuracy_score", ["target", "pred"], category: "metrics",
              doc: "accuracy_score(target, pred): the fraction of samples whose predicted class is the true one (sklearn.metrics.accuracy_score), a 0-d tensor. \(indices), or class scores/logits of shape (N, C), read by each row's first maximum (torch.argmax). float64 if either input is, else float32. Not differentiable: the result is a constant, its gradient 0.") { a in
      let pair = try classificationPair(a, scores: true)
      return .tensor(a.tracer.constant(Tensor(scalar: pair.accuracy, dtype: pair.resultDType)))
    }
    let scores: [(String, ClassificationScore, String)] = [
      ("precision_score", .precision, "precision tp/(tp+fp)"),
      ("recall_score", .recall, "recall tp/(tp+fn)"),
      ("f1_score", .f1, "F1 2tp/(2tp+fp+fn), the harmonic mean of precision and recall"),
    ]
    for (name, score, what) in scores {
      r.builtin(name, ["target", "pred", "average=\"binary\""], category: "metrics",
                doc: "\(name)(target, pred, average=\"binary\"): the \(what) (sklearn.metrics.\(name)), a 0-d tensor. \(indices). average: \"binary\" scores class 1 (at most two classes present), \"macro\" the mean over classes, \"micro\" pools the counts, \"weighted\" weighs each class by its support; the classes are those present in target or pred, and a score dividing by 0 is 0.0 (sklearn's default zero_division). float64 if either input is, else float32. Not differentiable: the result is a constant, its gradient 0.") { a in
        let name = try a.string(2)
        let average = try a.metric { try ClassificationAverage(named: name) }
        let pair = try classificationPair(a, scores: false)
        let value = try a.metric { try score.value(of: pair, average: average) }
        return .tensor(a.tracer.constant(Tensor(scalar: value, dtype: pair.resultDType)))
      }
    }
    r.builtin("confusion_matrix", ["target", "pred", "num_classes=none"], category: "metrics",
              doc: "confusion_matrix(target, pred, num_classes=none): the (K, K) tensor whose entry [i, j] counts the samples of true class i predicted as j (rows are true classes, as sklearn.metrics.confusion_matrix). \(indices). K is num_classes, or one more than the largest class present; unlike sklearn, which keeps only the classes present, classes missing below the largest get empty rows and columns. A class index ≥ num_classes is an error. float64 if either input is, else float32. Not differentiable: the result is a constant, its gradient 0.") { a in
      let pair = try classificationPair(a, scores: false)
      let numClasses = try a.optionalInt(2)
      let matrix = try a.metric { try ConfusionMatrix(pair, numClasses: numClasses) }
      try a.tracer.checkSize([matrix.size, matrix.size], pair.resultDType)
      return .tensor(a.tracer.constant(try matrix.tensor()))
    }
  }

  /// The materialized, validated target (argument 0) and prediction (argument 1).
  private static func classificationPair(_ a: Arguments, scores: Bool) throws -> ClassificationPair {
    let (target, pred) = (try a.tensor(0), try a.tensor(1))
    let tensors = try a.evaluator.materialize([target, pred])
    return try a.metric { try ClassificationPair(target: tensors[0], pred: tensors[1], scores: scores) }
  }
}
