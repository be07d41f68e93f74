import Foundation
import Testing

@testable import LossLang

/// `fit` in the library: reference runs against a PyTorch loop (Fixtures/training_fit.json),
/// the loop's step counts, progress output by mode, an interrupt that returns what it has,
/// and the argument errors.
///
/// The optimizer is `sgd` (plain gradient descent, as the PyTorch loop); a few tests give
/// `fit` a dict and a user function `step(o, p, g)`, which `opt.step(params, grads)`
/// resolves when `opt` is not an optimizer.
@Suite struct FitTests {
  /// Gradient descent on a tensor parameter, and the quadratic sum((w - 3)^2).
  static let quadratic = """
    opt = sgd(lr=0.1)
    def loss(w) = sum((w - 3.0) ^ 2)
    w0 = float64([0.0, 1.0, 5.0])

    """

  /// w after k steps of gradient descent with lr 0.1 on sum((w - 3)^2): 3 + (w0 - 3)·0.8^k.
  static func quadraticParams(after k: Int) -> [Double] {
    [0.0, 1.0, 5.0].map { 3 + ($0 - 3) * pow(0.8, Double(k)) }
  }

  /// The loss at step k (1-based), before its update.
  static func quadraticLoss(at k: Int) -> Double {
    quadraticParams(after: k - 1).map { ($0 - 3) * ($0 - 3) }.reduce(0, +)
  }

  /// `[params, history]` of `source`'s last value.
  func fitResult(_ source: String, in interp: Interpreter? = nil) throws -> (params: Value, history: Tensor) {
    let v = try (interp ?? Interpreter()).run(source)
    guard case .list(let items) = v, items.count == 2, let history = items[1].tensor else {
      throw TrainingTestFailure("fit did not return [params, history]: \(v)")
    }
    return (items[0], history)
  }

  @Test(arguments: TrainingFixtures.loaded.fit)
  func matchesAPyTorchLoop(_ c: TrainingFixtures.Fit) throws {
    let (params, history) = try fitResult(c.setup + c.call)
    let tolerance = Tolerance(rtol: 1e-9, atol: 1e-12)
    #expect(history.dtype == .float64 && history.shape == [c.history.count])
    #expect(tolerance.mismatch(history.scalars, c.history) == nil, "\(history.scalars)")
    guard case .dict(let got) = params else {
      Issue.record("params are not a dict: \(params)")
      return
    }
    for (name, want) in c.params {
      let leaf = try #require(got[name]?.tensor, "\(name)")
      #expect(tolerance.mismatch(leaf.scalars, want) == nil, "\(name): \(leaf.scalars) vs \(want)")
    }
  }

  @Test func theFixtureHasCases() {
    #expect(TrainingFixtures.loaded.fit.count == 3)
  }

  @Test func aQuadraticConverges() throws {
    let (params, history) = try fitResult(Self.quadratic + "fit(loss, w0, opt, steps=60)")
    let w = try #require(params.tensor)
    #expect(Tolerance(rtol: 1e-12, atol: 1e-12).mismatch(w.scalars, Self.quadraticParams(after: 60)) == nil)
    #expect(w.scalars.allSatisfy { abs($0 - 3) < 1e-5 })
    #expect(history.shape == [60])
    #expect(Tolerance(rtol: 1e-9).accepts(history[flat: 0], Self.quadraticLoss(at: 1)))
    #expect(Tolerance(rtol: 1e-9).accepts(history[flat: 59], Self.quadraticLoss(at: 60)))
  }

  @Test func zeroStepsReturnTheParamsAndAnEmptyHistory() throws {
    let (params, history) = try fitResult(Self.quadratic + "fit(loss, w0, opt, steps=0)")
    #expect(params.tensor?.scalars == [0, 1, 5])
    #expect(history.shape == [0] && history.dtype == .float64)
  }

  /// With data: epochs × batches per epoch steps (the last batch shorter), or steps across epochs.
  @Test(arguments: [
    ("batch_size=8, epochs=3", 9), ("batch_size=20, epochs=2", 2), ("batch_size=32, epochs=1", 1),
    ("batch_size=7, steps=10", 10), ("epochs=0", 0), ("steps=5", 5),
  ])
  func stepCountsWithData(_ arguments: String, _ steps: Int) throws {
    let source = """
            x = float64(arange(20))
      def loss(w, batch) = mean((batch - w) ^ 2)
      fit(loss, float64(0.0), sgd(lr=0.1), data=x, \(arguments), seed=0)
      """
    #expect(try fitResult(source).history.shape == [steps])
  }

  /// A batch of the data enters the loss as the tree `data` is: a list `[xb, yb]` here.
  @Test func eachEpochSeesEveryRowOnce() throws {
    let source = """
      def step(o, p, g) = p
      def loss(w, batch) {
        [xb, yb] = batch
        sum(w * xb) + 1000 * sum(abs(xb + yb))
      }
      x = float64(arange(10))
      fit(loss, float64(1.0), {}, data=[x, -x], batch_size=3, epochs=2, seed=1)
      """
    // The loss of a batch with w = 1 is the sum of its rows (xb and yb take the same rows, so
    // the penalty is 0); an epoch's losses add up to 0+…+9.
    let history = try fitResult(source).history.scalars
    #expect(history.count == 8)
    #expect(history[0..<4].reduce(0, +) == 45 && history[4..<8].reduce(0, +) == 45)
  }

  @Test func theLastBindingOfStepFoundFromAFunctionScope() throws {
    let source = """
      def train(w) {
        def step(o, p, g) = p - 2 * o["lr"] * g
        fit(fn(v) => sum((v - 3.0) ^ 2), w, {"lr": 0.05}, steps=3)
      }
      train(float64([0.0, 1.0, 5.0]))
      """
    let w = try #require(try fitResult(source).params.tensor)
    #expect(Tolerance(rtol: 1e-12).mismatch(w.scalars, Self.quadraticParams(after: 3)) == nil)
  }

  @Test func notATerminalWithEveryPrintsPlainLines() throws {
    var options = Interpreter.Options()
    options.outputIsTerminal = false
    let out = try printedOutput(Self.quadratic + "r = fit(loss, w0, opt, steps=10, every=4)\nprint(\"after\")", options: options)
    let lines = out.split(separator: "\n").map(String.init)
    #expect(lines.count == 3 && lines[2] == "after", "\(out)")
    #expect(lines[0].hasPrefix("step 4/10: loss ") && lines[1].hasPrefix("step 8/10: loss "))
    let logged = Double(lines[1].dropFirst("step 8/10: loss ".count)) ?? .nan
    #expect(Tolerance(rtol: 1e-5).accepts(logged, Self.quadraticLoss(at: 8)), "\(lines[1])")
    #expect(!out.contains("\r"))
    #expect(try printedOutput(Self.quadratic + "r = fit(loss, w0, opt, steps=10)", options: options) == "")
  }

  @Test func onATerminalTheBarIsRedrawnInPlaceAndEndsItsLine() throws {
    var options = Interpreter.Options()
    options.outputIsTerminal = true
    let out = try printedOutput(Self.quadratic + "r = fit(loss, w0, opt, steps=10, every=4)\nprint(\"after\")", options: options)
    #expect(out.hasPrefix("\r 0/10 |"), "\(out.debugDescription)")
    #expect(out.hasSuffix("\u{1B}[K\nafter\n"), "\(out.debugDescription)")
    #expect(out.unicodeScalars.filter { $0 == "\n" }.count == 2, "one line for the bar, one for after")
    #expect(out.contains("\r10/10 |████████████████████| loss "))
    #expect(!out.contains("step 4/10"), "every= is for plain lines only")
  }

  /// A stop request during `fit` (here raised by the host while the 5th step's line is
  /// written) ends it after the completed steps; the program goes on, the request withdrawn.
  @Test func anInterruptReturnsWhatItHasAndTheProgramGoesOn() throws {
    let interp = try Interpreter()
    var printed: [String] = []
    let handle = interp.interruptHandle
    interp.output = { text in
      printed.append(text)
      if text.hasPrefix("step 5/") { handle.interrupt() }
    }
    try interp.run(Self.quadratic + "r = fit(loss, w0, opt, steps=1000000, every=1)\nprint(\"after\")")
    #expect(printed.last == "after\n" && printed.count == 6, "\(printed)")
    let (params, history) = try fitResult("r", in: interp)
    #expect(history.shape == [5])
    #expect(Tolerance(rtol: 1e-12).mismatch(try #require(params.tensor).scalars, Self.quadraticParams(after: 5)) == nil)
    #expect(!interp.interruptHandle.isRaised)
  }

  @Test func anErrorInTheLossFunctionPropagatesFromItsSpan() throws {
    let interp = try Interpreter()
    interp.output = { _ in }
    let error = try #require(throws: LossLangError.self) {
      try interp.run(Self.quadratic + "def bad(w) = sum(w + [1.0, 2.0])\nfit(bad, w0, opt, steps=3)", path: "f.loss")
    }
    #expect(error.message.contains("broadcast"), "\(error.message)")
    #expect(error.diagnostics.first?.span?.line == 4)
  }

  @Test(arguments: [
    ("fit(fn(w) => (w - 3.0) ^ 2, w0, opt, steps=3)",
     "fit: argument 'loss_fn' must return a scalar loss, got a tensor of shape [3]"),
    (#"fit(fn(w) => "x", w0, opt, steps=3)"#, "fit: argument 'loss_fn' must return a scalar loss, got a string"),
    ("fit(loss, w0, opt)", "fit: give steps= (or data= with epochs= or steps=)"),
    ("fit(loss, w0, opt, epochs=2)", "fit: argument 'epochs' needs data=: without data, give steps="),
    ("fit(fn(w, b) => sum(w), w0, opt, data=w0)", "fit: give epochs= or steps= with data="),
    ("fit(fn(w, b) => sum(w), w0, opt, data=w0, epochs=1, steps=2)", "fit: give epochs= or steps=, not both"),
    ("fit(loss, w0, opt, steps=-1)", "fit: argument 'steps' must be non-negative, got -1"),
    ("fit(fn(w, b) => sum(w), w0, opt, data=w0, epochs=-2)", "fit: argument 'epochs' must be non-negative, got -2"),
    ("fit(loss, w0, opt, steps=3, every=0)", "fit: argument 'every' must be at least 1, got 0"),
    ("fit(loss, w0, opt, data=w0, steps=3)", "fit: argument 'loss_fn' must take 2 arguments (params, batch), but 'loss' takes 1"),
    ("fit(fn(w, b) => sum(w), w0, opt, steps=3)", "fit: argument 'loss_fn' must take 1 argument (params), but '<lambda>' takes 2"),
    ("fit(fn(w, b, c=1) => sum(w), w0, opt, steps=3)",
     "fit: argument 'loss_fn' must take 1 argument (params), but '<lambda>' takes 2 to 3"),
    ("fit(fn(w, b) => sum(w), w0, opt, data=zeros(0, 2), steps=3)", "fit: argument 'data' has no rows to train on"),
    ("fit(fn(w, b) => sum(w), w0, opt, data=w0, steps=3, batch_size=0)", "fit: argument 'batch_size' must be at least 1, got 0"),
    (#"fit(loss, w0, opt, data="x", steps=3)"#, "fit: argument 'data' must be a tensor or a list or dict of tensors, got string"),
    (#"fit(loss, "w", opt, steps=3)"#, "fit: argument 'params' must be a tensor or a list or dict of tensors, got string"),
    (#"fit(loss, w0, 1.0, steps=3)"#, "'step' is not a function, so '.step' cannot be used as a method"),
  ])
  func badArgumentsAreClearErrors(_ call: String, _ message: String) throws {
    let interp = try Interpreter()
    interp.output = { _ in }
    try interp.run(Self.quadratic)
    if message.hasPrefix("'step'") { try interp.run("step = 1") }
    let error = try #require(throws: LossLangError.self) { try interp.run(call, path: "f.loss") }
    #expect(error.message == message)
    #expect(error.diagnostics.first?.span?.line == 1)
  }

  @Test func aStepThatReturnsNoTreeIsAnError() throws {
    let interp = try Interpreter()
    try interp.run(Self.quadratic + "opt = {}\ndef step(o, p, g) = none")
    let error = try #require(throws: LossLangError.self) { try interp.run("fit(loss, w0, opt, steps=3)") }
    #expect(error.message == "fit: the result of opt.step(params, grads) must be a tensor or a list or dict of tensors, got none")
  }
}
