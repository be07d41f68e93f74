import Foundation

/// The integer side of one `ctc_loss` call, already validated: the label sequences, the
/// input lengths, the blank and the options. The log-probabilities are the op's input.
///
/// Follows PyTorch's CPU kernel (`aten/src/ATen/native/LossCTC.cpp`, after Graves et al.
/// 2006): the same log-space recursions, the same order of operations, in float64.
struct CTCProblem: Sendable {
  /// Time steps T (the first axis of log_probs).
  let timeSteps: Int
  /// Batch size N (1 for unbatched log_probs of shape (T, C)).
  let batch: Int
  /// Number of classes C, blank included.
  let classes: Int
  /// Whether log_probs is (T, N, C); otherwise it is (T, C) and the loss is 0-d.
  let batched: Bool
  /// Per sample, its first `target_length` labels.
  let labels: [[Int]]
  /// Per sample, how many time steps it uses.
  let inputLengths: [Int]
  /// The blank class.
  let blank: Int
  /// Whether an infinite loss (an impossible alignment) becomes 0 with a zero gradient.
  let zeroInfinity: Bool
  /// Per sample, the factor applied to the returned loss: 1, or 1 / max(target_length, 1)
  /// for the "mean" reduction (applied here so the divisor takes log_probs' dtype).
  let scales: [Double]

  /// The shape of the per-sample losses: (N,), or () when unbatched.
  var lossShape: [Int] { batched ? [batch] : [] }

  /// log_probs[t, n, c] in the flat (T, N, C) buffer.
  @inline(__always)
  func logProb(_ lp: [Double], _ t: Int, _ n: Int, _ c: Int) -> Double {
    lp[(t * batch + n) * classes + c]
  }

  /// The extended label l'_s: blank at even s, the (s/2)-th label at odd s.
  @inline(__always)
  func prime(_ n: Int, _ s: Int) -> Int {
    s % 2 == 0 ? blank : labels[n][s / 2]
  }

  /// The forward variables log α[t][s] (flat, row length 2L+1, `inputLength` rows) and
  /// the negative log-likelihood −log p(y|x) of sample `n` (+inf when no alignment exists).
  func forward(_ lp: [Double], sample n: Int) -> (alpha: [Double], nll: Double) {
    let length = inputLengths[n], targetLength = labels[n].count
    let width = 2 * targetLength + 1
    let neginf = -Double.infinity
    if length == 0 {
      let logLikelihood = targetLength == 0 ? 0.0 : neginf
      return ([], -logLikelihood)
    }
    var alpha = [Double](repeating: neginf, count: length * width)
    alpha[0] = logProb(lp, 0, n, blank)
    if targetLength > 0 { alpha[1] = logProb(lp, 0, n, prime(n, 1)) }
    for t in 1..<length {
      let previous = (t - 1) * width, row = t * width
      for s in 0..<width {
        let current = prime(n, s)
        let la1 = alpha[previous + s]
        var lamax = la1
        var la2 = neginf, la3 = neginf
        if s > 0 {
          la2 = alpha[previous + s - 1]
          if la2 > lamax { lamax = la2 }
        }
        if s > 1, prime(n, s - 2) != current {
          la3 = alpha[previous + s - 2]
          if la3 > lamax { lamax = la3 }
        }
        if lamax == neginf { lamax = 0 }
        alpha[row + s] = log(exp(la1 - lamax) + exp(la2 - lamax) + exp(la3 - lamax)) + lamax
          + logProb(lp, t, n, current)
      }
    }
    let last = (length - 1) * width
    if targetLength == 0 { return (alpha, -alpha[last]) }
    let l1 = alpha[last + 2 * targetLength], l2 = alpha[last + 2 * targetLength - 1]
    var m = l1 < l2 ? l2 : l1
    if m == neginf { m = 0 }
    return (alpha, -(log(exp(l1 - m) + exp(l2 - m)) + m))
  }

  /// The per-sample losses as returned to LossLang: zero_infinity and the scale applied.
  func losses(_ lp: [Double]) -> [Double] {
    (0..<batch).map { n in
      var nll = forward(lp, sample: n).nll
      if zeroInfinity, nll == .infinity { nll = 0 }
      return nll * scales[n]
    }
  }
}

/// `_ctc_loss`'s node: per-sample CTC losses of log_probs (its one input).
///
/// Its VJP is `CTCGradientOperation`, PyTorch's gradient formula; see there.
struct CTCLossOperation: CustomOperation {
  let problem: CTCProblem

  var name: String { "ctc_loss" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let lp = inputs[0]
    return try Tensor(problem.losses(lp.scalars), shape: problem.lossShape, dtype: lp.dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    guard needs.first == true else { return [nil] }
    let x = node.inputs[0]
    return [try tracer.custom(CTCGradientOperation(problem: problem), [x, g], shape: x.shape, dtype: x.dtype)]
  }
}
