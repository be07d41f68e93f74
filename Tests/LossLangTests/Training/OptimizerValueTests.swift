import Foundation
import Testing
@testable import LossLang

/// An optimizer as a value: its members (never shadowed by a user's binding), printing,
/// `opt.lr` with a schedule, `opt.steps`, `opt.reset()`, sharing, and Swift hosts holding one.
@Suite struct OptimizerValueTests {
  /// The contract's signatures (LANGUAGE.md, "(v2) Training"), as `help` shows them.
  @Test(arguments: [
    "sgd(lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=false, maximize=false)",
    "adam(lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0, amsgrad=false, maximize=false)",
    "adamw(lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weight_decay=1e-2, amsgrad=false, maximize=false)",
    "adagrad(lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10, maximize=false)",
    "rmsprop(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=false, maximize=false)",
  ])
  func theSignaturesAreTheContracts(_ signature: String) throws {
    let name = String(signature.prefix { $0 != "(" })
    let help = try #require(try Interpreter(options: Interpreter.Options()).helpText(for: name))
    #expect(help.split(separator: "\n").first.map(String.init) == signature)
    #expect(help.contains("torch.optim"), "help(\(name)) says what it is")
  }

  @Test func membersAreNotShadowedByTheUsersBindings() throws {
    let out = try printedOutput("""
      step = 10
      lr = 5
      steps = "many"
      def reset() = "the user's reset"
      def stepper(x, y) = 0
      opt = sgd(lr=0.5)
      p = float64([1.0, -2.0])
      for step in 0..<3 { p = opt.step(p, float64([1.0, 1.0])) }
      print(p, opt.steps, opt.lr, step, lr, steps)
      print(opt.reset(), opt.steps, reset())
      """)
    #expect(out == "tensor([-0.5000, -3.5000], dtype=float64) 3 0.5 2 5 many\nnone 0 the user's reset\n")
  }

  @Test func anOptimizerPrintsItsNameRateAndSteps() throws {
    let out = try printedOutput("""
      opt = adam()
      print(opt)
      p = opt.step([float32([1, 2])], [float32([1, 1])])
      print(opt, [opt], str(opt))
      print(f"{opt}")
      print(sgd(lr=fn(k) => 0.1 / k, momentum=0.9))
      print(opt.step, opt.reset)
      """)
    #expect(out == """
      <adam lr=0.001 steps=0>
      <adam lr=0.001 steps=1> [<adam lr=0.001 steps=1>] <adam lr=0.001 steps=1>
      <adam lr=0.001 steps=1>
      <sgd lr=<lambda>(k) steps=0>
      <function adam.step(params, grads)> <function adam.reset()>

      """)
  }

  @Test func aScheduleGivesTheRateOfTheNextStep() throws {
    let interp = try Interpreter(options: Interpreter.Options())
    try interp.run("""
      opt = sgd(lr=fn(k) => 0.1 / k)
      p = float64(1.0)
      r1 = opt.lr
      p = opt.step(p, float64(1.0))
      r2 = opt.lr
      p = opt.step(p, float64(1.0))
      r3 = opt.lr
      p = opt.step(p, float64(1.0))
      """)
    // SGD with a gradient of 1 moves by the rate of each step: 0.1/1, 0.1/2, 0.1/3.
    let p = try #require(try interp.value(of: "p")?.number)
    #expect(Tolerance(rtol: 1e-15).accepts(p, 1 - 0.1 - 0.05 - 0.1 / 3))
    let rates = try ["r1", "r2", "r3", "opt.lr"].map { try interp.eval($0).number }
    #expect(rates == [0.1, 0.05, 0.1 / 3, 0.025])
    #expect(try interp.eval("opt.steps").number == 3)
    try interp.run("opt.reset()")
    #expect(try interp.eval("opt.lr").number == 0.1, "after reset the next step is step 1 again")
  }

  @Test func resetStartsOverLikeAFreshOptimizer() throws {
    let setup = """
      p0 = {"w": float32([[1.0, -2.0], [0.5, 3.0]]), "b": float32([0.1, 0.2])}
      g0 = {"w": float32([[0.3, -0.1], [0.2, 0.4]]), "b": float32([1.0, -1.0])}
      opt = adam(lr=0.1, amsgrad=true)

      """
    let twoSteps = "q = opt.step(p0, g0)\nq = opt.step(q, g0)"
    let interp = try Interpreter(options: Interpreter.Options())
    try interp.run(setup + """
      p = opt.step(p0, g0)
      p = opt.step(p, g0)
      p = opt.step(p, g0)
      opt.reset()
      """)
    #expect(try interp.eval("opt.steps").number == 0)
    // A new tree is welcome after a reset.
    try interp.run("opt.step([float64([1, 2, 3])], [float64([1, 1, 1])])\nopt.reset()")
    try interp.run(twoSteps)
    let fresh = try Interpreter(options: Interpreter.Options())
    try fresh.run(setup + twoSteps)
    let got = OptimizerErrorTests.leaves(try #require(try interp.value(of: "q")))
    let want = OptimizerErrorTests.leaves(try #require(try fresh.value(of: "q")))
    try #require(want.count == 2)
    #expect(Tolerance.exact.accepts(got, want))
    // And the buffers of the three steps before are gone: a step from them differs.
    let before = OptimizerErrorTests.leaves(try #require(try interp.value(of: "p")))
    #expect(!Tolerance.exact.accepts(before, want))
  }

  @Test func stepReturnsADetachedTreeOfTheSameStructure() throws {
    let interp = try Interpreter(options: Interpreter.Options())
    try interp.run("""
      w = float64([1.0, 2.0])
      v = float64([3.0])
      tree = {"a": w, "b": [v, 2.0]}
      g = grad(sum(w^2) + sum(v^2) + tree["b"][1]^2, tree)
      q = sgd(lr=0.25).step(tree, g)
      """)
    let q = try #require(try interp.value(of: "q"))
    #expect(q.literalDescription == #"{"a": tensor([0.5000, 1.0000], dtype=float64), "b": [tensor([1.5000], dtype=float64), 1]}"#)
    // q["a"] = w - 0.25·2w is a constant: d/dw sum(q["a"]·w) is q["a"], not 2·0.5·w.
    let g = try interp.eval(#"grad(sum(q["a"] * w), w)"#)
    #expect(g.tensor?.scalars == [0.5, 1.0])
  }

  @Test func anOptimizerIsOneObjectWhereverItIsBound() throws {
    let out = try printedOutput("""
      opt = rmsprop(lr=0.01)
      def train(o, p, g) = o.step(p, g)
      other = opt
      p = other.step([float32([1, 2])], [float32([1, 1])])
      p = train(opt, p, [float32([1, 1])])
      f = opt.step
      p = f(p, [float32([1, 1])])
      print(opt.steps, other.steps, {"o": opt}["o"].steps)
      """)
    #expect(out == "3 3 3\n")
  }

  @Test func swiftHostsHoldAndPassOptimizers() throws {
    let interp = try Interpreter(options: Interpreter.Options())
    try interp.run("def train(o, p, g) = o.step(p, g)\nopt = adagrad(lr=0.5)")
    guard case .optimizer(let held) = try interp.eval("opt") else {
      Issue.record("opt is not an optimizer value")
      return
    }
    #expect(held.name == "adagrad" && held.steps == 0)
    #expect(held.description == "<adagrad lr=0.5 steps=0>")
    let p = Value.list([.tensor(try Tensor([1.0, 2.0], shape: [2], dtype: .float64))])
    let g = Value.list([.tensor(try Tensor([0.5, -0.5], shape: [2], dtype: .float64))])
    let q = try interp.call("train", [.optimizer(held), p, g])
    #expect(held.steps == 1, "the value passed back is the same optimizer")
    #expect(try interp.eval("opt.steps").number == 1)
    // Adagrad's first step moves every element by lr·g/|g| = ±0.5 (eps=1e-10 aside).
    let moved = try #require(q.list?.first?.tensor?.scalars)
    #expect(Tolerance(rtol: 1e-9).accepts(moved[0], 0.5) && Tolerance(rtol: 1e-9).accepts(moved[1], 2.5))
    #expect(try interp.summary(of: "opt").kind == .optimizer)
    #expect(try interp.summary(of: "opt").description == "optimizer")
  }

  @Test func operatorsNameTheOptimizerType() throws {
    let interp = try Interpreter(options: Interpreter.Options())
    let error = try #require(OptimizerErrorTests.failure("opt = sgd()\nopt + 1", in: interp))
    #expect(error.message == "operator '+' cannot be applied to optimizer and number")
  }
}
