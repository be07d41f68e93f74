/// A LossLang optimizer held by Swift code: the same optimizer (and state) when passed
/// back to LossLang.
public struct OptimizerReference: @unchecked Sendable, CustomStringConvertible {
  let optimizer: Optimizer

  init(_ optimizer: Optimizer) { self.optimizer = optimizer }

  /// `sgd`, `adam`, `adamw`, `adagrad` or `rmsprop`.
  public var name: String { optimizer.name }
  /// The steps taken since creation or the last `reset()`.
  public var steps: Int { optimizer.state.steps }
  /// `<adam lr=0.001 steps=3>`.
  public var description: String { optimizer.description }
}
