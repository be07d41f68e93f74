import Foundation

/// The gradient of `ctc_loss` with respect to log_probs, exactly as PyTorch computes it.
///
/// Inputs are `[log_probs, g]`, with `g` the cotangent of the per-sample losses. For a
/// sample n and t < input_length[n] the result is
/// `(exp(lp[t,n,c]) − exp(log Σ_{s: l'_s = c} α[t][s]·β[t][s] + nll_n − lp[t,n,c])) · g_n`,
/// and 0 for t ≥ input_length[n]. That is PyTorch's `ctc_loss_backward_cpu`: the true
/// derivative −posterior plus `exp(lp)`, a term that vanishes once the gradient passes
/// through the `log_softmax` that made log_probs (so it assumes normalized inputs, like
/// PyTorch). An infeasible sample gives NaN, unless zero_infinity makes it 0; a sample
/// with input_length 0 gives 0.
///
/// This operation is not differentiable again: its VJP raises an error, so a second-order
/// gradient through `ctc_loss` fails clearly instead of returning a wrong number.
struct CTCGradientOperation: CustomOperation {
  let problem: CTCProblem

  var name: String { "ctc_loss_backward" }

  func forward(_ inputs: [Tensor]) throws -> Tensor {
    let lp = inputs[0].scalars
    let g = inputs[1].scalars
    let p = problem
    var grad = [Double](repeating: 0, count: lp.count)
    for n in 0..<p.batch {
      let gr = g[n] * p.scales[n]
      addSampleGradient(lp, sample: n, cotangent: gr, into: &grad)
    }
    return try Tensor(grad, shape: inputs[0].shape, dtype: inputs[0].dtype)
  }

  func vjp(_ node: Node, _ g: Node, needs: [Bool], tracer: Tracer) throws -> [Node?] {
    throw TensorError("ctc_loss: second-order gradients are not supported (the gradient of ctc_loss is computed natively and cannot be differentiated again)")
  }

  /// Writes sample n's gradient for t < input_length into `grad` (the other entries of
  /// the sample stay 0).
  private func addSampleGradient(_ lp: [Double], sample n: Int, cotangent gr: Double, into grad: inout [Double]) {
    let p = problem
    let neginf = -Double.infinity
    let (alpha, nll) = p.forward(lp, sample: n)
    if p.zeroInfinity, nll == .infinity { return }
    let length = p.inputLengths[n], targetLength = p.labels[n].count
    guard length > 0 else { return }
    let width = 2 * targetLength + 1
    // log Σ α·β collected per (t, class), "log of an empty sum" = −inf to start.
    var collected = [Double](repeating: neginf, count: length * p.classes)
    var beta = [Double](repeating: neginf, count: length * width)
    let last = length - 1
    beta[last * width + 2 * targetLength] = p.logProb(lp, last, n, p.blank)
    collected[last * p.classes + p.blank] = alpha[last * width + 2 * targetLength] + beta[last * width + 2 * targetLength]
    if targetLength > 0 {
      let c = p.prime(n, 2 * targetLength - 1)
      beta[last * width + 2 * targetLength - 1] = p.logProb(lp, last, n, c)
      collected[last * p.classes + c] = alpha[last * width + 2 * targetLength - 1] + beta[last * width + 2 * targetLength - 1]
    }
    var t = length - 2
    while t >= 0 {
      let next = (t + 1) * width, row = t * width
      for s in stride(from: 2 * targetLength, through: 0, by: -1) {
        let current = p.prime(n, s)
        let lb1 = beta[next + s]
        var lbmax = lb1
        var lb2 = neginf, lb3 = neginf
        if s < 2 * targetLength {
          lb2 = beta[next + s + 1]
          if lb2 > lbmax { lbmax = lb2 }
        }
        if s < 2 * targetLength - 1, p.prime(n, s + 2) != current {
          lb3 = beta[next + s + 2]
          if lb3 > lbmax { lbmax = lb3 }
        }
        if lbmax == neginf { lbmax = 0 }
        beta[row + s] = log(exp(lb1 - lbmax) + exp(lb2 - lbmax) + exp(lb3 - lbmax)) + lbmax
          + p.logProb(lp, t, n, current)
        let logAlphaBeta = alpha[row + s] + beta[row + s]
        let k = t * p.classes + current
        let lcab = collected[k]
        if lcab == neginf {
          collected[k] = logAlphaBeta
        } else {
          let m = lcab < logAlphaBeta ? logAlphaBeta : lcab
          collected[k] = log(exp(lcab - m) + exp(logAlphaBeta - m)) + m
        }
      }
      t -= 1
    }
    for t in 0..<length {
      for c in 0..<p.classes {
        let value = p.logProb(lp, t, n, c)
        let res = collected[t * p.classes + c]
        grad[(t * p.batch + n) * p.classes + c] = (exp(value) - exp(res + nll - value)) * gr
      }
    }
  }
}
