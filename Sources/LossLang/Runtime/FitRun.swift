import Dispatch

/// One `fit` call: its arguments checked before anything runs, then the training loop.
///
/// Each step evaluates `loss_fn(params)` (or `loss_fn(params, batch)` with `data=`), takes
/// the gradient of that scalar with respect to every leaf of `params`, and calls
/// `opt.step(params, grads)` as a method (``Evaluator/callMethod(_:on:_:_:at:in:)``). The
/// loss and its gradients are computed in one plan, and the parameters are carried on
/// detached, so every step costs the same. Progress goes to the interpreter's output
/// (``ProgressBar``). A stop request (Ctrl-C) ends the loop early: `fit` withdraws it and
/// returns the parameters after the last completed step with the losses so far.
struct FitRun {
  private let a: Arguments
  private let lossFunction: Function
  /// The mini-batches of `data=`, if given, and how they are cut.
  private let data: (batches: TreeBatches, plan: BatchPlan)?
  /// The number of steps to take.
  private let total: Int
  private let seed: Int?
  private let mode: ProgressBar.Mode
  /// Where `fit` was called: the method call `opt.step` is resolved there.
  private let span: SourceSpan
  private let scope: Environment

  /// Checks every argument (see `fit`'s help); throws the first problem.
  init(arguments a: Arguments) throws {
    self.a = a
    lossFunction = try a.function(0)
    _ = try a.evaluator.treeLeaves(a.values[1]) { a.error(1, $0) }
    let steps = try Self.count(a, 3), epochs = try Self.count(a, 4)
    let batchSize = try TreeBatches.batchSize(a, 6)
    seed = try a.optionalInt(7)
    let every = try a.optionalInt(8)
    if let every, every < 1 { throw a.error(8, "must be at least 1, got \(every)") }
    if a.isNone(5) {
      guard epochs == nil else { throw a.error(4, "needs data=: without data, give steps=") }
      guard let steps else { throw LossLangError(.runtime, "fit: give steps= (or data= with epochs= or steps=)") }
      (data, total) = (nil, steps)
    } else {
      let batches = try TreeBatches(a.values[5], evaluator: a.evaluator) { a.error(5, $0) }
      guard batches.rows > 0 else { throw a.error(5, "has no rows to train on") }
      let plan = BatchPlan(rows: batches.rows, batchSize: batchSize, dropLast: false)
      switch (steps, epochs) {
      case (let steps?, nil): total = steps
      case (nil, let epochs?):
        let (product, overflow) = epochs.multipliedReportingOverflow(by: plan.count)
        total = overflow ? Int.max : product
      case (nil, nil): throw LossLangError(.runtime, "fit: give epochs= or steps= with data=")
      case (.some, .some): throw LossLangError(.runtime, "fit: give epochs= or steps=, not both")
      }
      data = (batches, plan)
    }
    try Self.checkArity(lossFunction, takes: data == nil ? 1 : 2, a)
    mode = a.evaluator.outputIsTerminal ? .terminal : every.map { .lines(every: $0) } ?? .silent
    span = a.tracer.span ?? SourceSpan(file: SourceFile(path: "<fit>", text: ""), start: 0, end: 0)
    scope = a.evaluator.callScopes.last ?? a.evaluator.globals
  }

  /// Trains; `[params, history]`.
  func run() throws -> RuntimeValue {
    let interruption = a.evaluator.interruption
    var params = a.values[1]
    var history: [Double] = []
    var bar = ProgressBar(total: total, mode: mode, clock: Self.now)
    show(bar.begin())
    var generator = seed.map { RandomGenerator(seed: UInt64(bitPattern: Int64($0))) }
    var pending: ArraySlice<RuntimeValue> = []
    do {
      if let data { _ = try a.evaluator.materialize(data.batches.leaves) }
      while history.count < total {
        try interruption.check()
        if let data, pending.isEmpty { pending = epoch(data, &generator)[...] }
        let (loss, next) = try step(params, batch: pending.popFirst())
        params = next
        history.append(loss)
        show(bar.record(step: history.count, loss: loss))
      }
    } catch where interruption.isRaised {
      interruption.clear()
      show(bar.finish(interrupted: true))
      return try result(params, history)
    } catch {
      show(bar.finish(interrupted: false))
      throw error
    }
    show(bar.finish(interrupted: false))
    return try result(params, history)
  }

  /// One step from `params`: the loss there (computed with its gradients) and the
  /// parameters `opt.step` returns, computed and detached.
  private func step(_ params: RuntimeValue, batch: RuntimeValue?) throws -> (loss: Double, params: RuntimeValue) {
    let e = a.evaluator
    let leaves = try e.treeLeaves(params) { a.error(1, $0) }
    let value = try e.call(lossFunction, batch.map { [params, $0] } ?? [params])
    guard case .tensor(let loss) = value, loss.count == 1 else {
      throw a.error(0, "must return a scalar loss, got \(Self.describe(value))")
    }
    let gradients = try e.tracer.gradients(of: loss, wrt: leaves)
    // The loss and its gradients in one plan: the forward pass runs once, and both keep
    // their values for the optimizer and the history.
    let lossValue = try e.materialize([loss] + gradients)[0]
    let grads = e.replacingLeaves(of: params, with: gradients)
    let next = try e.callMethod("step", on: a.values[2], [params, grads], at: span, in: scope)
    let nextLeaves = try e.treeLeaves(next) { LossLangError(.runtime, "fit: the result of opt.step(params, grads) \($0)") }
    let values = try e.materialize(nextLeaves)
    let detached = zip(nextLeaves, values).map { e.tracer.constant($1, weak: $0.isWeak) }
    return (lossValue.scalarValue ?? .nan, e.replacingLeaves(of: next, with: detached))
  }

  /// The batches of the next epoch, shuffled by `generator` (seeded by `seed=`) or else by
  /// the interpreter's random stream.
  private func epoch(_ data: (batches: TreeBatches, plan: BatchPlan), _ generator: inout RandomGenerator?) -> [RuntimeValue] {
    let order: [Int]
    if var seeded = generator {
      order = data.plan.order(shuffled: true, &seeded)
      generator = seeded
    } else {
      order = data.plan.order(shuffled: true, &a.evaluator.random)
    }
    return data.batches.epoch(data.plan, order: order, evaluator: a.evaluator)
  }

  /// `[params, history]` with the losses as a float64 tensor.
  private func result(_ params: RuntimeValue, _ history: [Double]) throws -> RuntimeValue {
    let losses = try Tensor(history, shape: [history.count], dtype: .float64)
    return .list([params, .tensor(a.tracer.constant(losses))])
  }

  /// Writes progress text, if any, where `print` writes.
  private func show(_ text: String?) {
    if let text { a.evaluator.output(text) }
  }

  /// Seconds of a monotonic clock.
  private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

  /// A non-negative whole number, or nil for `none` (`steps=`, `epochs=`).
  private static func count(_ a: Arguments, _ i: Int) throws -> Int? {
    guard let n = try a.optionalInt(i) else { return nil }
    guard n >= 0 else { throw a.error(i, "must be non-negative, got \(n)") }
    return n
  }

  /// Throws unless `f` can be called with `count` positional arguments.
  private static func checkArity(_ f: Function, takes count: Int, _ a: Arguments) throws {
    let required = f.parameters.prefix(f.positionalCount).filter {
      if case .required = $0.defaultValue { true } else { false }
    }.count
    let most = f.variadicIndex == nil ? f.positionalCount : nil
    guard required > count || most.map({ count > $0 }) == true else { return }
    let takes = most == required ? "\(required)" : most.map { "\(required) to \($0)" } ?? "at least \(required)"
    let wanted = count == 1 ? "1 argument (params)" : "2 arguments (params, batch)"
    throw a.error(0, "must take \(wanted), but '\(f.name)' takes \(takes)")
  }

  /// A value as an error message names it: `a tensor of shape [3]`, `a list`.
  private static func describe(_ v: RuntimeValue) -> String {
    if case .tensor(let n) = v { return "a tensor of shape \(n.shape)" }
    return "a \(v.typeName)"
  }
}
