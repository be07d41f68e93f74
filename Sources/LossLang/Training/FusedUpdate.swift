import Foundation

/// One optimizer step on one parameter tensor: a single pass over its contiguous elements
/// computing the new parameter and updating the rule's buffers in place.
///
/// Every rule follows `torch.optim`'s single-tensor (`foreach=False`) code operation by
/// operation: elementwise work is done in the parameter's dtype `T`, each Python-float
/// coefficient is computed in double precision and rounded to `T` where torch hands it to
/// a tensor operation (`alpha=`, `value=`, a lerp weight, a divisor).
struct FusedUpdate<T: BinaryFloatingPoint> {
  /// The parameter before the step.
  let param: UnsafePointer<T>
  /// The gradient, in the parameter's dtype.
  let grad: UnsafePointer<T>
  /// Where the new parameter goes (not the parameter's own storage, which others may share).
  let out: UnsafeMutablePointer<T>
  /// The rule's buffers for this parameter, in ``UpdateRule/bufferCount`` order.
  let buffers: [UnsafeMutablePointer<T>]
  /// The number of elements.
  let count: Int
  /// Whether the gradient is negated (torch's `maximize`).
  let maximize: Bool

  /// Applies `rule` with learning rate `lr` as step number `step` (1-based) of the optimizer.
  func apply(_ rule: UpdateRule, lr: Double, step: Int) {
    switch rule {
    case .sgd(let momentum, let dampening, let weightDecay, let nesterov):
      sgd(lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov, first: step == 1)
    case .adam(let beta1, let beta2, let eps, let weightDecay, let amsgrad, let decoupled):
      adam(lr: lr, step: step, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
           amsgrad: amsgrad, decoupled: decoupled)
    case .adagrad(let lrDecay, let weightDecay, _, let eps):
      adagrad(lr: lr / (1 + Double(step - 1) * lrDecay), weightDecay: weightDecay, eps: eps)
    case .rmsprop(let alpha, let eps, let weightDecay, let momentum, let centered):
      rmsprop(lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum, centered: centered)
    }
  }

  /// The gradient at `i`, negated under `maximize`, with L2 weight decay added
  /// (`grad.add(param, alpha=weight_decay)`).
  @inline(__always)
  private func gradient(_ i: Int, decay: T, hasDecay: Bool) -> T {
    let g = maximize ? -grad[i] : grad[i]
    return hasDecay ? g + decay * param[i] : g
  }

  /// `torch.lerp(start, end, weight)` as ATen's vectorized CPU kernel computes it.
  @inline(__always)
  private static func lerp(_ start: T, _ end: T, _ weight: T) -> T {
    abs(weight) < 0.5 ? start.addingProduct(weight, end - start) : end.addingProduct(weight - 1, end - start)
  }

  /// `torch.optim.SGD`: momentum buffer seeded with the first gradient, then
  /// `buf·momentum + (1-dampening)·g`; Nesterov looks ahead along the buffer.
  private func sgd(lr: Double, momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool, first: Bool) {
    let decay = T(weightDecay), mu = T(momentum), keep = T(1 - dampening), alpha = T(-lr)
    let hasDecay = weightDecay != 0
    let buf = buffers.first
    for i in 0..<count {
      var g = gradient(i, decay: decay, hasDecay: hasDecay)
      if let buf {
        buf[i] = first ? g : buf[i] * mu + keep * g
        g = nesterov ? g + mu * buf[i] : buf[i]
      }
      out[i] = param[i] + alpha * g
    }
  }

  /// `torch.optim.Adam` / `AdamW`: bias-corrected first and second moments, optionally the
  /// running maximum of the second (AMSGrad).
  private func adam(
    lr: Double, step: Int, beta1: Double, beta2: Double, eps: Double, weightDecay: Double, amsgrad: Bool, decoupled: Bool
  ) {
    let k = Double(step)
    let stepSize = lr / (1 - pow(beta1, k))
    let correction = T(pow(1 - pow(beta2, k), 0.5))
    let hasDecay = weightDecay != 0 && !decoupled
    let shrink = T(1 - lr * weightDecay), decay = T(weightDecay)
    let w1 = T(1 - beta1), b2 = T(beta2), w2 = T(1 - beta2), epsilon = T(eps), alpha = T(-stepSize)
    let m = buffers[0], v = buffers[1], vmax = amsgrad ? buffers[2] : nil
    for i in 0..<count {
      let p = decoupled && weightDecay != 0 ? param[i] * shrink : param[i]
      let g = gradient(i, decay: decay, hasDecay: hasDecay)
      m[i] = Self.lerp(m[i], g, w1)
      v[i] = v[i] * b2 + w2 * g * g
      var second = v[i]
      if let vmax {
        // torch.maximum: a NaN on either side wins.
        if !vmax[i].isNaN, !(vmax[i] >= second) { vmax[i] = second }
        second = vmax[i]
      }
      let denom = second.squareRoot() / correction + epsilon
      out[i] = p + alpha * m[i] / denom
    }
  }

  /// `torch.optim.Adagrad` with the step's decayed rate `lr`: the sum of squared gradients
  /// scales each step.
  private func adagrad(lr: Double, weightDecay: Double, eps: Double) {
    let decay = T(weightDecay), epsilon = T(eps), alpha = T(-lr)
    let hasDecay = weightDecay != 0
    let sum = buffers[0]
    for i in 0..<count {
      let g = gradient(i, decay: decay, hasDecay: hasDecay)
      sum[i] = sum[i] + g * g
      out[i] = param[i] + alpha * g / (sum[i].squareRoot() + epsilon)
    }
  }

  /// `torch.optim.RMSprop`: a running average of squared gradients (centered: minus the
  /// squared running average of gradients), with an optional momentum buffer.
  private func rmsprop(lr: Double, alpha: Double, eps: Double, weightDecay: Double, momentum: Double, centered: Bool) {
    let decay = T(weightDecay), a = T(alpha), w = T(1 - alpha), epsilon = T(eps), mu = T(momentum), rate = T(-lr)
    let hasDecay = weightDecay != 0
    let square = buffers[0]
    let buf = momentum > 0 ? buffers[1] : nil
    let average = centered ? buffers[momentum > 0 ? 2 : 1] : nil
    for i in 0..<count {
      let g = gradient(i, decay: decay, hasDecay: hasDecay)
      square[i] = square[i] * a + w * g * g
      var avg: T
      if let average {
        average[i] = Self.lerp(average[i], g, w)
        avg = (square[i] - average[i] * average[i]).squareRoot()
      } else {
        avg = square[i].squareRoot()
      }
      avg = avg + epsilon
      if let buf {
        buf[i] = buf[i] * mu + g / avg
        out[i] = param[i] + rate * buf[i]
      } else {
        out[i] = param[i] + rate * g / avg
      }
    }
  }
}
