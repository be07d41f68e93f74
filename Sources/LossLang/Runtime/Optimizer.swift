/// An optimizer as a LossLang value (`adam(lr=1e-3)`): its state, which `opt.step`
/// advances, and its learning rate, a number or a schedule function of the step.
///
/// It is a reference: every binding of one optimizer sees the same state.
final class Optimizer {
  /// The learning rate: fixed, or a LossLang function of the 1-based step number.
  enum LearningRate {
    case constant(Double)
    case schedule(Function)
  }

  /// The update rule's buffers and step count.
  let state: OptimizerState
  /// The learning rate or schedule.
  let learningRate: LearningRate

  init(state: OptimizerState, learningRate: LearningRate) {
    self.state = state
    self.learningRate = learningRate
  }

  /// `sgd`, `adam`, `adamw`, `adagrad` or `rmsprop`.
  var name: String { state.rule.name }

  /// `<adam lr=0.001 steps=3>`; a schedule shows as its signature (`lr=<lambda>(k)`).
  var description: String {
    let lr: String
    switch learningRate {
    case .constant(let v): lr = TensorFormatter.number(v)
    case .schedule(let f): lr = f.signature
    }
    return "<\(name) lr=\(lr) steps=\(state.steps)>"
  }

  /// The rate the next step uses: the constant, or the schedule called with that step's number.
  func rate(in evaluator: Evaluator) throws -> Double {
    switch learningRate {
    case .constant(let v): return v
    case .schedule(let f):
      let k = state.steps + 1
      let value = try evaluator.call(f, [.tensor(evaluator.tracer.weakScalar(Double(k)))])
      guard case .tensor(let n) = value, n.count == 1, n.dtype != .bool else {
        throw LossLangError(.runtime, "\(name): the lr schedule returned a \(value.typeName) for step \(k); it must return a number")
      }
      return try evaluator.scalar(n)
    }
  }

  /// `opt.step(params, grads)`: the parameters after one step, a detached tree of the same
  /// structure, advancing the state; on an error the state is unchanged.
  func step(_ params: RuntimeValue, _ grads: RuntimeValue, in evaluator: Evaluator) throws -> RuntimeValue {
    let p = try leaves(of: params, "params", in: evaluator)
    let g = try leaves(of: grads, "grads", in: evaluator)
    let lr = try rate(in: evaluator)
    let values = try evaluator.materialize(p.nodes + g.nodes)
    let updated = try state.step(
      params: TreeLeaves(tensors: Array(values[..<p.nodes.count]), positions: p.positions),
      grads: TreeLeaves(tensors: Array(values[p.nodes.count...]), positions: g.positions),
      lr: lr)
    let nodes = zip(p.nodes, updated).map { evaluator.tracer.constant($1, weak: $0.isWeak) }
    return evaluator.replacingLeaves(of: params, with: nodes)
  }

  /// The leaves of the tree passed as argument `argument` of `step`, with their positions.
  private func leaves(of tree: RuntimeValue, _ argument: String, in evaluator: Evaluator) throws
    -> (nodes: [Node], positions: [String])
  {
    let leaves = try evaluator.positionedTreeLeaves(tree) {
      LossLangError(.runtime, "\(self.name).step: argument '\(argument)' \($0)")
    }
    return (leaves.map(\.node), leaves.map(\.position))
  }
}
