/// Which of `torch.optim`'s update rules an optimizer applies, with its hyperparameters (all
/// but the learning rate, which may change from step to step).
enum UpdateRule: Sendable {
  /// `torch.optim.SGD`.
  case sgd(momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool)
  /// `torch.optim.Adam`, or `AdamW` when `decoupled` (weight decay applied to the parameter
  /// rather than added to the gradient).
  case adam(beta1: Double, beta2: Double, eps: Double, weightDecay: Double, amsgrad: Bool, decoupled: Bool)
  /// `torch.optim.Adagrad`.
  case adagrad(lrDecay: Double, weightDecay: Double, initialAccumulatorValue: Double, eps: Double)
  /// `torch.optim.RMSprop`.
  case rmsprop(alpha: Double, eps: Double, weightDecay: Double, momentum: Double, centered: Bool)

  /// The LossLang name of the optimizer that applies this rule.
  var name: String {
    switch self {
    case .sgd: "sgd"
    case .adam(_, _, _, _, _, let decoupled): decoupled ? "adamw" : "adam"
    case .adagrad: "adagrad"
    case .rmsprop: "rmsprop"
    }
  }

  /// How many buffers the rule keeps per parameter tensor, each of the parameter's shape and
  /// dtype (torch's `momentum_buffer`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`, `sum`,
  /// `square_avg`, `grad_avg`).
  var bufferCount: Int {
    switch self {
    case .sgd(let momentum, _, _, _): momentum != 0 ? 1 : 0
    case .adam(_, _, _, _, let amsgrad, _): amsgrad ? 3 : 2
    case .adagrad: 1
    case .rmsprop(_, _, _, let momentum, let centered): 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0)
    }
  }

  /// The value every buffer starts from at the first step (Adagrad's accumulator starts at
  /// `initial_accumulator_value`; every other buffer at zero).
  var initialBufferValue: Double {
    if case .adagrad(_, _, let initial, _) = self { return initial }
    return 0
  }

  /// Checks the hyperparameters as `torch.optim`'s constructors do (their `ValueError`s),
  /// with the learning rate `lr` when it is a number; the error names the argument of the
  /// LossLang constructor.
  func validate(lr: Double?) throws {
    if let lr { try require(lr, "lr") }
    switch self {
    case .sgd(let momentum, let dampening, let weightDecay, let nesterov):
      try require(momentum, "momentum")
      try require(weightDecay, "weight_decay")
      if nesterov, momentum <= 0 || dampening != 0 {
        throw problem("nesterov", "needs momentum > 0 and dampening = 0, got momentum=\(Self.text(momentum)) and dampening=\(Self.text(dampening))")
      }
    case .adam(let beta1, let beta2, let eps, let weightDecay, _, _):
      try require(eps, "eps")
      for (i, beta) in [beta1, beta2].enumerated() where !(0 <= beta && beta < 1) {
        throw problem("betas", "must hold numbers in [0, 1), got \(Self.text(beta)) at index \(i)")
      }
      try require(weightDecay, "weight_decay")
    case .adagrad(let lrDecay, let weightDecay, let initial, let eps):
      try require(lrDecay, "lr_decay")
      try require(weightDecay, "weight_decay")
      try require(initial, "initial_accumulator_value")
      try require(eps, "eps")
    case .rmsprop(let alpha, let eps, let weightDecay, let momentum, _):
      try require(eps, "eps")
      try require(momentum, "momentum")
      try require(weightDecay, "weight_decay")
      try require(alpha, "alpha")
    }
  }

  /// Throws unless `value` is a non-negative number (NaN is not).
  private func require(_ value: Double, _ parameter: String) throws {
    guard value >= 0 else { throw problem(parameter, "must be non-negative, got \(Self.text(value))") }
  }

  /// An error naming this rule's constructor and one of its arguments.
  private func problem(_ parameter: String, _ message: String) -> LossLangError {
    LossLangError(.runtime, "\(name): argument '\(parameter)' \(message)")
  }

  /// A hyperparameter as messages show it (`0.9`, `-1`, `nan`).
  static func text(_ value: Double) -> String { TensorFormatter.number(value) }
}
