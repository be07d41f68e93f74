/// Sequence builtins: the private native `_ctc_loss` behind the prelude's `ctc_loss`.
extension Builtins {
  static func registerSequence(in r: Registry) {
    r.builtin("_ctc_loss", ["log_probs", "targets", "input_lengths", "target_lengths", "blank=0",
                            "zero_infinity=false", "divide_by_target_length=false"],
              category: "loss",
              doc: "_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, zero_infinity=false, divide_by_target_length=false): per-sample CTC losses (N,) or () computed natively, as PyTorch's kernel; use ctc_loss.") { a in
      let logProbs = try a.tensor(0)
      let problem = try CTCArguments(a, logProbs: logProbs).problem()
      let op = CTCLossOperation(problem: problem)
      return .tensor(try a.tracer.custom(op, [logProbs], shape: problem.lossShape, dtype: logProbs.dtype))
    }
  }
}

/// Reads and validates the arguments of `_ctc_loss`, with errors worded for `ctc_loss`.
private struct CTCArguments {
  let a: Arguments
  let logProbs: Node

  init(_ a: Arguments, logProbs: Node) {
    self.a = a
    self.logProbs = logProbs
  }

  func fail(_ message: String) -> LossLangError {
    LossLangError(.runtime, "ctc_loss: " + message)
  }

  /// The validated problem.
  func problem() throws -> CTCProblem {
    let shape = logProbs.shape
    guard shape.count == 2 || shape.count == 3 else {
      throw fail("log_probs must have shape (T, N, C) or (T, C), got shape \(shape)")
    }
    guard logProbs.count > 0 else { throw fail("log_probs must not be empty, got shape \(shape)") }
    let batched = shape.count == 3
    let steps = shape[0], batch = batched ? shape[1] : 1, classes = shape[shape.count - 1]
    let blank = try whole([a.double(4)], "blank")[0]
    guard blank >= 0, blank < classes else {
      throw fail("blank must be in the label range 0..<\(classes), got \(blank)")
    }
    let inputLengths = try lengths(2, "input_lengths", batch: batch, batched: batched)
    for (n, length) in inputLengths.enumerated() where length < 0 || length > steps {
      throw fail("input_lengths[\(n)] is \(length), but it must be between 0 and the \(steps) time steps of log_probs")
    }
    let targetLengths = try lengths(3, "target_lengths", batch: batch, batched: batched)
    for (n, length) in targetLengths.enumerated() where length < 0 {
      throw fail("target_lengths[\(n)] is \(length), but it must be at least 0")
    }
    let labels = try targets(targetLengths, batch: batch, classes: classes, blank: blank)
    let divide = try a.bool(6)
    return CTCProblem(
      timeSteps: steps, batch: batch, classes: classes, batched: batched, labels: labels,
      inputLengths: inputLengths, blank: blank, zeroInfinity: try a.bool(5),
      scales: targetLengths.map { divide ? 1 / Double(max($0, 1)) : 1 })
  }

  /// A tensor argument's values and shape.
  func values(_ i: Int) throws -> (shape: [Int], values: [Double]) {
    let node = try a.tensor(i)
    return (node.shape, try a.evaluator.materialize(node).scalars)
  }

  /// Whole numbers, or an error naming the argument.
  func whole(_ values: [Double], _ name: String) throws -> [Int] {
    try values.map { d in
      guard d.isFinite, d.rounded() == d, abs(d) < 9e15 else {
        throw fail("\(name) must hold whole numbers, got \(TensorFormatter.number(d))")
      }
      return Int(d)
    }
  }

  /// One length per sample: shape (N,), or () / (1,) when log_probs is unbatched.
  func lengths(_ i: Int, _ name: String, batch: Int, batched: Bool) throws -> [Int] {
    let (shape, values) = try values(i)
    let ok = batched ? shape == [batch] : shape == [] || shape == [1]
    guard ok else {
      let want = batched ? "shape [\(batch)] (one per sequence of the batch)" : "one number (log_probs is unbatched)"
      throw fail("\(name) must have \(want), got shape \(shape)")
    }
    return try whole(values, name)
  }

  /// Each sample's labels: from (N, S) padded targets (the first target_length of each
  /// row; the padding is ignored) or from 1-D targets, the concatenation of all sequences.
  func targets(_ targetLengths: [Int], batch: Int, classes: Int, blank: Int) throws -> [[Int]] {
    let (shape, values) = try values(1)
    var labels: [[Double]] = []
    if shape.count == 2 {
      let needed = targetLengths.max() ?? 0
      guard shape[0] == batch else {
        throw fail("targets has shape \(shape), but log_probs has a batch of \(batch) (targets must be (N, S) or 1-D)")
      }
      guard shape[1] >= needed else {
        throw fail("targets has shape \(shape), too short for a target length of \(needed)")
      }
      labels = (0..<batch).map { n in Array(values[n * shape[1]..<(n * shape[1] + targetLengths[n])]) }
    } else if shape.count == 1 {
      let total = targetLengths.reduce(0, +)
      guard shape[0] == total else {
        throw fail("1-D (concatenated) targets must have sum(target_lengths) = \(total) elements, got shape \(shape)")
      }
      var start = 0
      for length in targetLengths {
        labels.append(Array(values[start..<(start + length)]))
        start += length
      }
    } else {
      throw fail("targets must have shape (N, S) or be 1-D (concatenated), got shape \(shape)")
    }
    return try labels.enumerated().map { n, row in
      try whole(row, "targets").enumerated().map { s, label in
        guard label >= 0, label < classes else {
          throw fail("targets[\(n)][\(s)] is \(label), out of range for \(classes) classes")
        }
        guard label != blank else {
          throw fail("targets[\(n)][\(s)] is the blank label \(blank); targets must not contain the blank")
        }
        return label
      }
    }
  }
}
