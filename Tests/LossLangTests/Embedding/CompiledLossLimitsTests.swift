import Foundation
import Testing

@testable import LossLang

/// A compiled loss runs under its interpreter's execution context like an evaluation: each
/// limit stops it with `.limitExceeded`, `interrupt()` stops it, `checkFinite` reports the
/// first non-finite value, and `fusion = false` runs it one primitive at a time.
@Suite struct CompiledLossLimitsTests {
  /// An interpreter with `configure` applied to default options (and a plan cache of its own).
  func interpreter(_ configure: (inout Interpreter.Options) -> Void) throws -> Interpreter {
    var options = Interpreter.Options()
    options.planCache = PlanCache(capacity: 8)
    configure(&options)
    return try Interpreter(options: options)
  }

  /// Expects `body` to throw a `.limitExceeded` error whose message contains `message`.
  func expectLimit(_ message: String, _ body: () throws -> Void) {
    do {
      try body()
      Issue.record("ran without hitting the limit (\(message))")
    } catch let e as LossLangError {
      #expect(e.kind == .limitExceeded, "\(e)")
      #expect(e.message.contains(message), "\(e)")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  /// A loss of 2 000 matmuls in a row: quick to trace, long to compute (256 GFLOP: seconds
  /// even at this machine's peak, so a 0.2 s limit always stops it), one step each.
  static let slowSource = "y = x\nfor i in 0..<2000 { y = matmul(y, x) * 0.001 }\nsum(y)"
  static let slowInput = ["x": TensorType(shape: [400, 400])]
  static func slowInputs() throws -> [String: Tensor] {
    ["x": try Tensor((0..<160_000).map { Double($0 % 7) / 7 }, shape: [400, 400], dtype: .float32)]
  }

  @Test func tensorElements() throws {
    let interp = try interpreter { $0.limits.maxTensorElements = 1000 }
    // The sizes are fixed when the loss is traced: compiling is where they are checked.
    expectLimit("tensor size limit exceeded") {
      _ = try interp.compile("sum(reshape(x, [100, 1]) * reshape(x, [1, 100]))", inputs: ["x": TensorType(shape: [100])])
    }
    expectLimit("cannot be") { _ = try interp.compile("sum(x)", inputs: ["x": TensorType(shape: [1001])]) }
    let fits = try interp.compile("sum(x * x)", inputs: ["x": TensorType(shape: [1000])])
    #expect(try fits.value(["x": Tensor(zeros: [1000], dtype: .float32)]).scalars == [0])
  }

  @Test func totalBytes() throws {
    let x = try Tensor((0..<360_000).map { Double($0 % 5) }, shape: [600, 600], dtype: .float32)
    let source = "sum(matmul(x, x))", inputs = ["x": TensorType(shape: [600, 600])]
    // The product alone (1.4 MB) is over the budget; the input was allocated by the host.
    let limited = try interpreter { $0.limits.maxTotalBytes = 1 << 20 }
    let loss = try limited.compile(source, inputs: inputs)
    expectLimit("allocation limit exceeded") { _ = try loss.value(["x": x]) }
    expectLimit("allocation limit exceeded") { _ = try loss.valueAndGradient(["x": x], wrt: ["x"]) }
    #expect(try limited.eval("1 + 1").number == 2, "the interpreter is usable after the error")
    let free = try interpreter { _ in }
    #expect(try free.compile(source, inputs: inputs).value(["x": x]).count == 1)
  }

  @Test func steps() throws {
    let interp = try interpreter { $0.limits.maxSteps = 200 }
    // A traced loss counts its steps where its expressions run: when it is compiled.
    expectLimit("step limit exceeded") {
      _ = try interp.compile("s = sum(x)\nfor i in 0..<1000 { s = s + x[0] }\ns", inputs: ["x": TensorType(shape: [3])])
    }
    // A loss re-traced on each call counts them on each call.
    let loss = try interp.compile("s = sum(x)\nfor i in 0..<n { s = s + 1 }\ns",
                                  inputs: ["x": TensorType(shape: [3]), "n": TensorType(shape: [])])
    try #require(loss.isRetracing)
    let x = try Tensor([1, 2, 3], shape: [3], dtype: .float32)
    #expect(try loss.value(["x": x, "n": Tensor(scalar: 2, dtype: .float32)]).scalars == [8])
    expectLimit("step limit exceeded") { _ = try loss.value(["x": x, "n": Tensor(scalar: 1000, dtype: .float32)]) }
  }

  @Test func seconds() throws {
    // Each call gets the whole limit: compiling (tracing 2000 iterations) must fit in it on a
    // loaded machine, running (256 GFLOP) cannot.
    let interp = try interpreter { $0.limits.maxSeconds = 1 }
    let loss = try interp.compile(Self.slowSource, inputs: Self.slowInput)
    try #require(!loss.isRetracing)
    expectLimit("time limit exceeded") { _ = try loss.value(Self.slowInputs()) }
    #expect(try interp.eval("1 + 1").number == 2, "the interpreter is usable after the error")
  }

  /// Expects `body` to stop with `interrupted`.
  func expectInterrupted(_ body: () throws -> Void) {
    #expect { try body() } throws: { ($0 as? LossLangError)?.message == "interrupted" }
  }

  @Test func interruptFromAnotherThread() throws {
    let interp = try interpreter { _ in }
    let loss = try interp.compile(Self.slowSource, inputs: Self.slowInput)
    let inputs = try Self.slowInputs()
    let handle = interp.interruptHandle
    // Raised by another thread before the call: the call stops at its first check.
    let raised = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      handle.interrupt()
      raised.signal()
    }
    raised.wait()
    expectInterrupted { _ = try loss.value(inputs) }
    #expect(!handle.isRaised, "the stop was consumed by the call it stopped")
    // Raised while calls run: the call running then, or the next one, stops.
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { handle.interrupt() }
    expectInterrupted { for _ in 0..<1000 { _ = try loss.value(inputs) } }
    #expect(!handle.isRaised)
  }

  @Test func checkFiniteReportsTheFirstNonFiniteValue() throws {
    let x = try Tensor([0, 1, 2], shape: [3], dtype: .float32)
    let checked = try interpreter { $0.checkFinite = true }
    let loss = try checked.compile("sum(log(x))", inputs: ["x": TensorType(shape: [3])])
    #expect { try loss.value(["x": x]) } throws: { error in
      let e = error as? LossLangError
      return e?.kind == .runtime && e?.message.contains("non-finite value: 'log' produced -inf at [0] from 0") == true
    }
    let unchecked = try interpreter { _ in }
    #expect(try unchecked.compile("sum(log(x))", inputs: ["x": TensorType(shape: [3])]).value(["x": x]).scalars == [-.infinity])
  }

  @Test func fusionOffRunsOnePrimitiveAtATime() throws {
    let source = "mean((w * x - y)^2)"
    let types = ["w": TensorType(shape: []), "x": TensorType(shape: [4]), "y": TensorType(shape: [4])]
    let inputs = [
      "w": Tensor(scalar: 2, dtype: .float32), "x": try Tensor([1, 2, 3, 4], shape: [4], dtype: .float32),
      "y": try Tensor([1, 1, 1, 1], shape: [4], dtype: .float32),
    ]
    var results: [Bool: [[Double]]] = [:]
    for fusion in [true, false] {
      let interp = try interpreter { $0.fusion = fusion }
      let loss = try interp.compile(source, inputs: types)
      let (value, grads) = try loss.valueAndGradient(inputs, wrt: ["w"])
      results[fusion] = [value.scalars, try #require(grads["w"]).scalars]
      // A fused call plans the graph (one plan in the cache); an unfused one never plans.
      #expect(interp.context.planCache.count == (fusion ? 1 : 0), "fusion \(fusion)")
    }
    #expect(results[true] == results[false])
  }
}
