/// An optimizer's members: `opt.step(params, grads)`, `opt.reset()`, `opt.lr`, `opt.steps`.
///
/// The evaluator asks the optimizer before looking the name up, so a user's binding named
/// `step` or `lr` never shadows them.
extension Optimizer {
  /// The members' names, as the error for an unknown one lists them.
  static let memberNames = ["step", "reset", "lr", "steps"]

  /// `opt.name` without a call: `lr` (the rate the next step uses) and `steps` are numbers;
  /// `step` and `reset` are the methods bound to this optimizer.
  func member(_ name: String, in evaluator: Evaluator) throws -> RuntimeValue {
    switch name {
    case "lr": return .tensor(evaluator.tracer.weakScalar(try rate(in: evaluator)))
    case "steps": return .tensor(evaluator.tracer.weakScalar(Double(state.steps)))
    default: return .function(try method(name))
    }
  }

  /// The method `name` bound to this optimizer, for `opt.name(…)`.
  func method(_ name: String) throws -> Function {
    switch name {
    case "step":
      return Function(
        name: "\(self.name).step", parameters: [ParameterSpec(compact: "params"), ParameterSpec(compact: "grads")],
        body: .builtin { [self] a in try step(a.values[0], a.values[1], in: a.evaluator) },
        doc: "opt.step(params, grads): the parameters after one step (a new detached tree of the same structure); advances opt's buffers and step count.")
    case "reset":
      return Function(
        name: "\(self.name).reset", parameters: [],
        body: .builtin { [self] _ in
          state.reset()
          return .none
        },
        doc: "opt.reset(): clears opt's buffers and sets opt.steps to 0; the next step may take a new tree.")
    case "lr", "steps":
      throw LossLangError(.runtime, "\(self.name).\(name) is a number, not a method: write it without parentheses")
    default:
      let members = Self.memberNames.dropLast().joined(separator: ", ") + " and " + (Self.memberNames.last ?? "")
      throw LossLangError(.runtime, "an optimizer has no member '\(name)'; its members are \(members)")
    }
  }
}
