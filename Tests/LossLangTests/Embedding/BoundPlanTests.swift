import Testing

@testable import LossLang

/// `CompiledLoss`'s call path (`BoundPlan`): the cached plan run on new inputs gives what the
/// interpreter's executor gives on the same graph, call after call.
@Suite struct BoundPlanTests {
  /// Expressions over inputs `a` [3, 5] and `b` [3, 5]: fused kernels, full and partial sums,
  /// broadcasting, and primitives (matmul, permute, gather).
  static let expressions = [
    "mse_loss(a, b)",
    "huber_loss(a, b, delta=0.5)",
    "mean(sum(a * b, axis=1))",
    "sum(exp(a)) / sum(b^2)",
    "sum(a @ transpose(b))",
    "mean(a - b[0])",
    "mean(log_softmax(a, axis=1) * b) + mean(norm(a - b, axis=1))",
  ]

  /// Deterministic values of a shape, different per `seed`.
  func tensor(_ shape: [Int], seed: Int, dtype: DType) throws -> Tensor {
    let n = shape.reduce(1, *)
    return try Tensor((0..<n).map { Double(($0 * 7 + seed * 13) % 11) / 4 - 1.2 }, shape: shape, dtype: dtype)
  }

  /// The value and gradients of `expression` through the interpreter (`Executor`), computed
  /// together as the compiled loss computes them.
  func reference(_ expression: String, a: Tensor, b: Tensor) throws -> [Tensor] {
    let interp = try Interpreter()
    interp.bind("a", a)
    interp.bind("b", b)
    let out = try #require(try interp.eval("y = \(expression)\n[y, grad(y, [a, b])]").list)
    let grads = try #require(out.last?.list)
    return try [#require(out.first?.tensor)] + grads.compactMap(\.tensor)
  }

  @Test(arguments: expressions, [DType.float32, .float64])
  func matchesTheExecutorOnEveryCall(_ expression: String, _ dtype: DType) throws {
    let interp = try Interpreter()
    let type = TensorType(shape: [3, 5], dtype: dtype)
    let loss = try interp.compile(expression, inputs: ["a": type, "b": type])
    var earlier: [(result: [Tensor], expected: [Tensor])] = []
    for seed in 0..<3 {
      let a = try tensor([3, 5], seed: seed, dtype: dtype), b = try tensor([3, 5], seed: seed + 5, dtype: dtype)
      let (value, grads) = try loss.valueAndGradient(["a": a, "b": b], wrt: ["a", "b"])
      let result = try [value, #require(grads["a"]), #require(grads["b"])]
      let expected = try reference(expression, a: a, b: b)
      #expect(result.map(\.scalars) == expected.map(\.scalars), "\(expression) \(dtype) seed \(seed)")
      #expect(result.map(\.dtype) == expected.map(\.dtype))
      earlier.append((result, expected))
    }
    // Later calls reuse buffers only for values that never leave a call.
    for (result, expected) in earlier { #expect(result.map(\.scalars) == expected.map(\.scalars)) }
    #expect(loss.traceCount == 1 && !loss.isRetracing)
  }

  @Test func valueOnlyAndGradientListsShareTheGraph() throws {
    let interp = try Interpreter()
    let type = TensorType(shape: [7])
    let loss = try interp.compile("mse_loss(a, b)", inputs: ["a": type, "b": type])
    let a = try tensor([7], seed: 1, dtype: .float32), b = try tensor([7], seed: 2, dtype: .float32)
    let full = try loss.valueAndGradient(["a": a, "b": b], wrt: ["a", "b"])
    let onlyB = try loss.valueAndGradient(["a": a, "b": b], wrt: ["b"])
    let value = try loss.value(["a": a, "b": b])
    #expect(value.scalars == full.value.scalars && onlyB.value.scalars == full.value.scalars)
    #expect(onlyB.gradients["b"]?.scalars == full.gradients["b"]?.scalars)
    #expect(onlyB.gradients["a"] == nil)
  }

  @Test func aGradientThatIsAConstantOrAnInput() throws {
    let interp = try Interpreter()
    let loss = try interp.compile("x", inputs: ["x": TensorType(shape: []), "unused": TensorType(shape: [])])
    for v in [1.5, -2.0] {
      let (value, grads) = try loss.valueAndGradient(["x": Tensor(scalar: v), "unused": Tensor(scalar: 9)], wrt: ["x", "unused"])
      #expect(value.scalar == v)
      #expect(grads["x"]?.scalar == 1)
      #expect(grads["unused"]?.scalar == 0)
    }
  }

  @Test func wrongInputsAreTheSameErrorsOnTheFastPath() throws {
    let interp = try Interpreter()
    let type = TensorType(shape: [2])
    let loss = try interp.compile("mse_loss(a, b)", inputs: ["a": type, "b": type])
    let ok = try Tensor([1, 2], shape: [2])
    _ = try loss.valueAndGradient(["a": ok, "b": ok], wrt: ["a"])
    func message(_ inputs: [String: Tensor], _ wrt: [String]) -> String? {
      do { _ = try loss.valueAndGradient(inputs, wrt: wrt) } catch let e as LossLangError { return e.message } catch { return nil }
      return nil
    }
    #expect(message(["a": ok], ["a"]) == "compiled loss: missing input 'b'")
    #expect(message(["a": ok, "b": try Tensor([1, 2, 3], shape: [3])], ["a"])
      == "compiled loss: input 'b' is float32[3], expected float32[2]")
    #expect(message(["a": ok, "b": ok, "c": ok], ["a"]) == "compiled loss: unknown input 'c'")
    #expect(message(["a": ok, "b": ok], ["z"])
      == "compiled loss: cannot differentiate with respect to 'z', which is not an input")
  }
}
