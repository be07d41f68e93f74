import Foundation
import Testing
@testable import LossLang

/// Bad input to an optimizer: each is a `LossLangError` with the exact message at the
/// user's call, and a step that fails leaves the optimizer as it was: the steps after it
/// give exactly what a fresh optimizer given the same good steps gives.
@Suite struct OptimizerErrorTests {
  /// A failing step: the optimizer, the good steps before it, the failing statement (its
  /// last line is a call at column 1) and the message.
  struct StepCase: Sendable, CustomTestStringConvertible {
    let name: String
    let optimizer: String
    let before: String
    let bad: String
    let message: String
    var testDescription: String { name }
  }

  /// Data every case starts from: a nested tree and gradients for it.
  static let setup = """
    p0 = {"w": float32([[0.5, -1.0], [2.0, 0.25]]), "rest": [float32([0.1, -0.2]), float32(0.3)]}
    g0 = {"w": float32([[0.2, 0.1], [-0.3, 0.4]]), "rest": [float32([0.05, -0.5]), float32(1.5)]}
    bad_lr = false

    """

  static let stepCases: [StepCase] = [
    StepCase(
      name: "a key the first step did not have", optimizer: "adam(lr=0.1, amsgrad=true)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step({"v": p["w"], "rest": p["rest"]}, {"v": g0["w"], "rest": g0["rest"]})"#,
      message: #"adam.step: params does not have the first step's tree: params["v"] where the first step had params["w"]"#),
    StepCase(
      name: "an extra tensor", optimizer: "adam(lr=0.1)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step(merge(p, {"b": float32(1)}), merge(g0, {"b": float32(1)}))"#,
      message: #"adam.step: params does not have the first step's tree: an extra tensor at params["b"]"#),
    StepCase(
      name: "a missing tensor", optimizer: "sgd(lr=0.1, momentum=0.9)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step({"w": p["w"], "rest": [p["rest"][0]]}, {"w": g0["w"], "rest": [g0["rest"][0]]})"#,
      message: #"sgd.step: params does not have the first step's tree: no tensor at params["rest"][1], which the first step had"#),
    StepCase(
      name: "a shape change at a nested position", optimizer: "rmsprop(lr=0.01, momentum=0.5, centered=true)",
      before: "p = opt.step(p0, g0)",
      bad: #"opt.step({"w": p["w"], "rest": [float32([1, 2, 3]), p["rest"][1]]}, {"w": g0["w"], "rest": [float32([1, 2, 3]), g0["rest"][1]]})"#,
      message: #"rmsprop.step: params["rest"][0] has shape [3], but had shape [2] at the first step"#),
    StepCase(
      name: "a dtype change", optimizer: "adagrad(lr=0.1)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step({"w": float64(p["w"]), "rest": p["rest"]}, g0)"#,
      message: #"adagrad.step: params["w"] is float64, but was float32 at the first step"#),
    StepCase(
      name: "gradients of another tree", optimizer: "adamw(lr=0.1)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step(p, {"w": g0["w"], "bias": g0["rest"]})"#,
      message: #"adamw.step: grads does not have the tree of params: grads["bias"][0] where params has params["rest"][0]"#),
    StepCase(
      name: "a gradient of another shape", optimizer: "sgd(lr=0.1, momentum=0.9, nesterov=true)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step(p, {"w": g0["w"][0], "rest": g0["rest"]})"#,
      message: #"sgd.step: grads["w"] has shape [2], but params["w"] has shape [2, 2]"#),
    StepCase(
      name: "a leaf that is not a tensor", optimizer: "adam(lr=0.1)", before: "p = opt.step(p0, g0)",
      bad: #"opt.step(merge(p, {"name": "linear"}), g0)"#,
      message: #"adam.step: argument 'params' must be a tensor or a list or dict of tensors, got string at ["name"]"#),
    StepCase(
      name: "a bool tensor", optimizer: "sgd(lr=0.1)", before: "",
      bad: #"opt.step({"m": float32([1, 0]) > 0}, {"m": float32([1, 1])})"#,
      message: #"sgd.step: params["m"] is a bool tensor; only float32 and float64 tensors can be optimized"#),
    StepCase(
      name: "no tensor at all", optimizer: "adam(lr=0.1)", before: "p = opt.step(p0, g0)",
      bad: "opt.step([], [])",
      message: "adam.step: params holds no tensor to optimize"),
    StepCase(
      name: "a schedule returning a string", optimizer: #"adam(lr=fn(k) => if bad_lr { "fast" } else { 0.1 / k })"#,
      before: "p = opt.step(p0, g0)", bad: "bad_lr = true\nopt.step(p, g0)",
      message: "adam: the lr schedule returned a string for step 2; it must return a number"),
    StepCase(
      name: "a schedule returning a negative rate", optimizer: "sgd(lr=fn(k) => if bad_lr { -0.5 } else { 0.1 / k }, momentum=0.9)",
      before: "p = opt.step(p0, g0)", bad: "bad_lr = true\nopt.step(p, g0)",
      message: "sgd.step: the learning rate for step 2 is -0.5; it must be non-negative"),
    StepCase(
      name: "a missing argument", optimizer: "adam(lr=0.1)", before: "p = opt.step(p0, g0)",
      bad: "opt.step(p)", message: "adam.step() missing required argument 'grads'"),
  ]

  /// Runs `source` as `user.loss`; the error it ends with (nil when it succeeds).
  static func failure(_ source: String, in interp: Interpreter) -> LossLangError? {
    do {
      try interp.run(source, path: "user.loss")
      return nil
    } catch let e as LossLangError {
      return e
    } catch {
      Issue.record("not a LossLangError: \(error)")
      return nil
    }
  }

  /// Two good steps after the failure; then `q` and `opt.steps` from Swift.
  static let after = "bad_lr = false\nq = opt.step(p, g0)\nq = opt.step(q, g0)"

  /// The leaves of a tree from Swift, in order.
  static func leaves(_ v: Value) -> [Tensor] {
    switch v {
    case .tensor, .number: v.tensor.map { [$0] } ?? []
    case .list(let items): items.flatMap(leaves)
    case .dict(let d): d.values.flatMap(leaves)
    default: []
    }
  }

  @Test(arguments: stepCases)
  func aFailedStepLeavesTheStateUnchanged(_ c: StepCase) throws {
    let interp = try Interpreter(options: Interpreter.Options())
    let prefix = Self.setup + "opt = \(c.optimizer)\n" + (c.before.isEmpty ? "p = p0" : c.before) + "\n"
    try interp.run(prefix, path: "user.loss")
    let error = try #require(Self.failure(c.bad, in: interp), "\(c.name): no error")
    #expect(error.message == c.message)
    let span = try #require(error.diagnostics.first?.span, "\(c.name): no location")
    #expect(span.file.path == "user.loss")
    #expect("\(span.line):\(span.column)" == "\(c.bad.split(separator: "\n").count):1")

    try interp.run(Self.after)
    let fresh = try Interpreter(options: Interpreter.Options())
    try fresh.run(prefix + Self.after)
    let got = Self.leaves(try #require(try interp.value(of: "q")))
    let want = Self.leaves(try #require(try fresh.value(of: "q")))
    try #require(want.count >= 3, "the good steps give a tree")
    #expect(Tolerance.exact.accepts(got, want), "\(c.name): the steps after the error differ from a fresh optimizer's")
    #expect(try interp.eval("opt.steps").number == fresh.eval("opt.steps").number)
  }

  /// (constructor call, message): torch's `ValueError`s, the argument binding, and types.
  static let constructorCases: [(String, String)] = [
    ("sgd(lr=-0.1)", "sgd: argument 'lr' must be non-negative, got -0.1"),
    ("adam(lr=-1e-3)", "adam: argument 'lr' must be non-negative, got -0.001"),
    ("adam(eps=-1e-8)", "adam: argument 'eps' must be non-negative, got -1e-08"),
    ("adam(betas=[0.9, 1.0])", "adam: argument 'betas' must hold numbers in [0, 1), got 1 at index 1"),
    ("adamw(betas=[-0.1, 0.999])", "adamw: argument 'betas' must hold numbers in [0, 1), got -0.1 at index 0"),
    ("adam(weight_decay=-0.1)", "adam: argument 'weight_decay' must be non-negative, got -0.1"),
    ("adamw(weight_decay=-0.01)", "adamw: argument 'weight_decay' must be non-negative, got -0.01"),
    ("sgd(momentum=-0.5)", "sgd: argument 'momentum' must be non-negative, got -0.5"),
    ("sgd(weight_decay=-1)", "sgd: argument 'weight_decay' must be non-negative, got -1"),
    ("sgd(nesterov=true)", "sgd: argument 'nesterov' needs momentum > 0 and dampening = 0, got momentum=0 and dampening=0"),
    ("sgd(momentum=0.9, dampening=0.1, nesterov=true)",
     "sgd: argument 'nesterov' needs momentum > 0 and dampening = 0, got momentum=0.9 and dampening=0.1"),
    ("rmsprop(alpha=-0.9)", "rmsprop: argument 'alpha' must be non-negative, got -0.9"),
    ("rmsprop(eps=-1)", "rmsprop: argument 'eps' must be non-negative, got -1"),
    ("rmsprop(momentum=-0.1)", "rmsprop: argument 'momentum' must be non-negative, got -0.1"),
    ("rmsprop(weight_decay=-0.1)", "rmsprop: argument 'weight_decay' must be non-negative, got -0.1"),
    ("adagrad(lr_decay=-1)", "adagrad: argument 'lr_decay' must be non-negative, got -1"),
    ("adagrad(weight_decay=-1)", "adagrad: argument 'weight_decay' must be non-negative, got -1"),
    ("adagrad(initial_accumulator_value=-0.5)", "adagrad: argument 'initial_accumulator_value' must be non-negative, got -0.5"),
    ("adagrad(eps=-1e-10)", "adagrad: argument 'eps' must be non-negative, got -1e-10"),
    ("adam(lr=0.1, beta=[0.9, 0.99])", "adam() got an unexpected keyword argument 'beta' (did you mean 'betas'?)"),
    ("rmsprop(lr=0.1, centred=true)", "rmsprop() got an unexpected keyword argument 'centred' (did you mean 'centered'?)"),
    (#"sgd(lr="fast")"#, "sgd: argument 'lr' must be a number or a schedule (a function of the step), got string"),
    ("adam(betas=[0.9])", "adam: argument 'betas' must be two numbers [beta1, beta2], got a tensor of shape [1]"),
    ("adam(betas=0.9)", "adam: argument 'betas' must be two numbers [beta1, beta2], got a tensor of shape []"),
    (#"sgd(lr=0.1, momentum="high")"#, "sgd: argument 'momentum' must be a number, got string"),
  ]

  @Test(arguments: constructorCases.map(\.0))
  func aBadConstructorArgumentIsNamed(_ source: String) throws {
    let message = try #require(Self.constructorCases.first { $0.0 == source }?.1)
    let interp = try Interpreter(options: Interpreter.Options())
    let error = try #require(Self.failure("x = 1\nopt = \(source)", in: interp), "\(source): no error")
    #expect(error.message == message)
    let span = try #require(error.diagnostics.first?.span)
    #expect("\(span.line):\(span.column)" == "2:7", "\(source): at the call")
  }

  /// (source after `opt = sgd(lr=0.1)`, message) for members an optimizer does not have.
  static let memberCases: [(String, String)] = [
    ("opt.stpe", "an optimizer has no member 'stpe'; its members are step, reset, lr and steps"),
    ("opt.zero_grad()", "an optimizer has no member 'zero_grad'; its members are step, reset, lr and steps"),
    ("opt.lr()", "sgd.lr is a number, not a method: write it without parentheses"),
    ("opt.steps()", "sgd.steps is a number, not a method: write it without parentheses"),
  ]

  @Test(arguments: memberCases.map(\.0))
  func anUnknownMemberListsTheMembers(_ source: String) throws {
    let message = try #require(Self.memberCases.first { $0.0 == source }?.1)
    let interp = try Interpreter(options: Interpreter.Options())
    // A user's function of that name does not make it a member either.
    let error = try #require(Self.failure("def stpe(o) = 1\nopt = sgd(lr=0.1)\n\(source)", in: interp))
    #expect(error.message == message)
    #expect(error.diagnostics.first?.span?.line == 3)
  }
}
