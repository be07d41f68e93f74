/// Optimizer constructors: `sgd adam adamw adagrad rmsprop`, with `torch.optim`'s argument
/// names, defaults and update rules. Each returns an optimizer value (``Optimizer``).
extension Builtins {
  static func registerOptimizers(in r: Registry) {
    let usage = "opt.step(params, grads) returns the parameters after one step (a new detached tree) and advances opt's state; opt.lr is the rate the next step uses, opt.steps the steps taken, opt.reset() starts over. lr is a number or a schedule: a function of the 1-based step k."
    optimizer(r, "sgd", specs(["lr=1e-3", "momentum=0.0", "dampening=0.0", "weight_decay=0.0", "nesterov=false", "maximize=false"]),
              doc: "torch.optim.SGD: momentum, dampening, Nesterov momentum and L2 weight decay. " + usage) { a in
      .sgd(momentum: try a.double(1), dampening: try a.double(2), weightDecay: try a.double(3), nesterov: try a.bool(4))
    }
    for (name, decay, what) in [
      ("adam", "0.0", "torch.optim.Adam: bias-corrected moment estimates; weight decay is added to the gradient."),
      ("adamw", "1e-2", "torch.optim.AdamW: Adam with decoupled weight decay (the parameter shrinks by lr·weight_decay)."),
    ] {
      let parameters = specs(["lr=1e-3"]) + [betasParameter()] + specs(["eps=1e-8", "weight_decay=\(decay)", "amsgrad=false", "maximize=false"])
      optimizer(r, name, parameters, doc: what + " " + usage) { a in
        let betas = try a.betas(1)
        return .adam(beta1: betas.0, beta2: betas.1, eps: try a.double(2), weightDecay: try a.double(3),
                     amsgrad: try a.bool(4), decoupled: name == "adamw")
      }
    }
    optimizer(r, "adagrad", specs(["lr=1e-2", "lr_decay=0.0", "weight_decay=0.0", "initial_accumulator_value=0.0", "eps=1e-10", "maximize=false"]),
              doc: "torch.optim.Adagrad: each element's step shrinks with its sum of squared gradients. " + usage) { a in
      .adagrad(lrDecay: try a.double(1), weightDecay: try a.double(2), initialAccumulatorValue: try a.double(3), eps: try a.double(4))
    }
    optimizer(r, "rmsprop", specs(["lr=1e-2", "alpha=0.99", "eps=1e-8", "weight_decay=0.0", "momentum=0.0", "centered=false", "maximize=false"]),
              doc: "torch.optim.RMSprop: steps scaled by a running average of squared gradients (centered: its variance). " + usage) { a in
      .rmsprop(alpha: try a.double(1), eps: try a.double(2), weightDecay: try a.double(3), momentum: try a.double(4), centered: try a.bool(5))
    }
  }

  /// Adam's `betas=[0.9, 0.999]`, a default the compact parameter syntax cannot write.
  private static func betasParameter() -> ParameterSpec {
    let betas = [0.9, 0.999].map { RuntimeValue.tensor(Node(constant: Tensor(scalar: $0, dtype: .float64), isWeak: true)) }
    return ParameterSpec(name: "betas", defaultValue: .value(.list(betas), text: "[0.9, 0.999]"))
  }

  private static func specs(_ compact: [String]) -> [ParameterSpec] { compact.map(ParameterSpec.init(compact:)) }

  /// Registers the constructor `name`: its first parameter is `lr`, its last `maximize`, and
  /// `rule` reads the others. The hyperparameters are checked as torch checks them.
  private static func optimizer(
    _ r: Registry, _ name: String, _ parameters: [ParameterSpec], doc: String,
    rule: @escaping (inout Arguments) throws -> UpdateRule
  ) {
    let body: (inout Arguments) throws -> RuntimeValue = { a in
      let lr = try a.learningRate(0)
      let rule = try rule(&a)
      if case .constant(let v) = lr { try rule.validate(lr: v) } else { try rule.validate(lr: nil) }
      let state = OptimizerState(rule: rule, maximize: try a.bool(a.values.count - 1))
      return .optimizer(Optimizer(state: state, learningRate: lr))
    }
    let signature = "\(name)(" + parameters.map(\.description).joined(separator: ", ") + ")"
    let f = Function(name: name, parameters: parameters, body: .builtin(body), doc: signature + ": " + doc)
    r.register(f, category: "optimizer", origin: .builtin)
  }
}

extension Arguments {
  /// The argument as a learning rate: a number, or a schedule function of the step.
  fileprivate func learningRate(_ i: Int) throws -> Optimizer.LearningRate {
    switch values[i] {
    case .function(let f): return .schedule(f)
    case .tensor(let n) where n.count == 1: return .constant(try double(i))
    default: throw error(i, "must be a number or a schedule (a function of the step), got \(values[i].typeName)")
    }
  }

  /// The argument as Adam's two betas: a list or tensor of two numbers (a literal's exact
  /// float64 values, not the float32 tensor it makes).
  fileprivate func betas(_ i: Int) throws -> (Double, Double) {
    var numbers: [Double]?
    switch values[i] {
    case .tensor(let n) where n.shape == [2]:
      numbers = try n.exactValues ?? evaluator.materialize(n).scalars
    case .list(let items) where items.count == 2:
      var given = self
      numbers = try items.map { item in
        given.values[i] = item
        return try given.double(i)
      }
    default: break
    }
    guard let numbers else {
      let given = if case .tensor(let n) = values[i] { "a tensor of shape \(n.shape)" } else { "a \(values[i].typeName)" }
      throw error(i, "must be two numbers [beta1, beta2], got \(given)")
    }
    return (numbers[0], numbers[1])
  }
}
