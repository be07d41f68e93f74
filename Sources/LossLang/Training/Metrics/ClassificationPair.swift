/// The true and predicted class indices of one metric call, checked together: one class
/// index per sample in a 1-D target, the prediction of the same shape (or, where scores are
/// allowed, one row of class scores per sample, read by their first maximum).
struct ClassificationPair {
  /// The true class of each sample.
  let target: [Int]
  /// The predicted class of each sample.
  let pred: [Int]
  /// The dtype of a result computed from this pair: float64 when either input is, else float32.
  let resultDType: DType

  /// Validates `target` and `pred`; with `scores`, a `pred` of shape (N, C) is taken as
  /// class scores and each row's first maximum (torch.argmax, NaN the largest) is its class.
  init(target: Tensor, pred: Tensor, scores: Bool) throws {
    guard target.shape.count == 1 else {
      throw MetricArgumentError("target", "must be 1-D (one class index per sample), got shape \(target.shape)")
    }
    let n = target.shape[0]
    let isScores = scores && pred.shape.count == 2 && pred.shape[0] == n
    guard isScores || pred.shape == target.shape else {
      let accepted = scores ? "class indices of shape [\(n)] or scores of shape [\(n), C]" : "class indices of shape [\(n)]"
      throw MetricArgumentError("pred", "has shape \(pred.shape) but target has shape \(target.shape); it must be \(accepted)")
    }
    guard n > 0 else {
      throw MetricArgumentError("target", "is empty; at least one sample is needed (as in scikit-learn)")
    }
    guard !isScores || pred.shape[1] > 0 else {
      throw MetricArgumentError("pred", "has shape \(pred.shape): scores over no classes have no argmax")
    }
    // A bool tensor of scores is read as its float32 0/1.
    let predicted = isScores ? try pred.retagged(.float32).argReduce(max: true, axis: 1, keepdims: false) : pred
    self.target = try ClassIndices(target, as: "target").values
    self.pred = try ClassIndices(predicted, as: "pred").values
    resultDType = DType.promoted(target.dtype.storage, pred.dtype.storage)
  }

  /// The fraction of samples whose predicted class is the true one.
  var accuracy: Double {
    let correct = zip(target, pred).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    return Double(correct) / Double(target.count)
  }
}
