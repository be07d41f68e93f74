import Testing

@testable import LossLang

/// What the interpreter records of the rewrites it applied (``Interpreter/appliedRewrites``),
/// gradients with respect to a value inside a rewritten formula, and freeing long chains of
/// rewritten nodes.
@Suite struct AppliedRewriteTests {
  @Test func recordsSpanPatternAndReplacementOncePerLocation() throws {
    let interpreter = try Interpreter()
    try interpreter.run("""
      x = [-200.0, 3.0]
      s = 0
      for i in 0..<5 { s = s + sum(log(sigmoid(x))) }
      y = exp(x) - 1
      """, path: "lint.loss")
    let applied = interpreter.appliedRewrites
    try #require(applied.count == 2)
    #expect(applied[0].rewrite == .logSigmoid)
    #expect(applied[0].pattern == "log(sigmoid(x))" && applied[0].replacement == "logsigmoid(x)")
    let span = try #require(applied[0].span)
    #expect(span.file.path == "lint.loss" && span.line == 3 && span.column == 30)
    #expect(applied[1].rewrite == .expm1 && applied[1].span?.line == 4 && applied[1].span?.column == 5)
    interpreter.clearAppliedRewrites()
    #expect(interpreter.appliedRewrites.isEmpty)
  }

  @Test func nothingIsRecordedWithRewritesOff() throws {
    var options = Interpreter.Options()
    options.rewrites = false
    let interpreter = try Interpreter(options: options)
    try interpreter.run("y = log(sigmoid([1.0])) + log(1 + [2.0])")
    #expect(interpreter.appliedRewrites.isEmpty)
  }

  /// `grad(log(p), p)` with `p = sigmoid(z)` is 1/p, as for the written formula, though the
  /// value is computed as `logsigmoid(z)` (which does not read `p`); through the BCE form
  /// too: d/dp [t·log p + (1-t)·log(1-p)] = t/p - (1-t)/(1-p).
  @Test func gradientWithRespectToAValueInsideTheFormula() throws {
    let interpreter = try Interpreter()
    try interpreter.run("""
      z = float64([-1.0, 0.5, 2.0])
      t = float64([1.0, 0.0, 0.25])
      p = sigmoid(z)
      """)
    let inverse = try interpreter.run("grad(sum(log(p)), p) * p")
    #expect(fixtureTensor(of: inverse)?.scalars.allSatisfy { abs($0 - 1) < 1e-15 } == true)
    let bce = try interpreter.run("""
      g = grad(sum(t * log(p) + (1 - t) * log(1 - p)), p)
      g - (t / p - (1 - t) / (1 - p))
      """)
    #expect(fixtureTensor(of: bce)?.scalars.allSatisfy { abs($0) < 1e-12 } == true)
    let logits = try interpreter.run("grad(sum(t * log(p) + (1 - t) * log(1 - p)), z) - (t - p)")
    #expect(fixtureTensor(of: logits)?.scalars.allSatisfy { abs($0) < 1e-15 } == true)
  }

  /// A loop's settlement keeps the history of a rewritten value whose written formula holds
  /// a bound value: `l = logsigmoid(2·[1, -2])` reads no bound name, but its written form
  /// `log(p)` reads `p`, so `grad(l, p)` after the loop is still 1/p (0 if the history were
  /// released).
  @Test func loopSettlementKeepsAHeldValueInsideTheFormula() throws {
    let interpreter = try Interpreter()
    let value = try interpreter.run("""
      p = sigmoid(float64([1.0, -2.0]) * 2)
      for i in 0..<16 { l = log(p) }
      grad(sum(l), p) * p
      """)
    #expect(fixtureTensor(of: value)?.scalars.allSatisfy { abs($0 - 1) < 1e-15 } == true)
  }

  /// A negated literal meets a float32 tensor through a conversion: `-1 + exp(u)` and
  /// `exp(u) + (-1)` are still `expm1(u)` (1e-8, where the written form gives 0).
  @Test func negatedLiteralMeetsFloat32() throws {
    let interpreter = try Interpreter()
    let value = try interpreter.run("u = [1e-8]\n[-1 + exp(u), exp(u) + (-1)]")
    #expect(fixtureTensor(of: value)?.scalars.allSatisfy { abs($0 - 1e-8) < 1e-14 } == true)
    #expect(interpreter.appliedRewrites.map(\.rewrite) == [.expm1, .expm1])
  }

  /// The softmax over all elements of a value the planner computes row by row (a row
  /// maximum subtracted first) runs, and equals the written form.
  @Test func softmaxOverAllElementsOfARowChainedValue() throws {
    let source = """
      x = randn([400, 300], seed=9)
      e = exp(x - max(x, axis=1, keepdims=true))
      y = e / sum(e)
      g = grad(sum(y * x), x)
      """
    var options = Interpreter.Options()
    options.rewrites = false
    let written = try Interpreter(options: options)
    let stable = try Interpreter()
    try written.run(source)
    try stable.run(source)
    #expect(stable.appliedRewrites.map(\.rewrite) == [.softmax])
    for name in ["y", "g"] {
      let got = try #require(fixtureTensor(of: stable.run(name))), want = try #require(fixtureTensor(of: written.run(name)))
      #expect(Tolerance(rtol: 1e-4, atol: 1e-9).accepts(got, want), "\(name)")
    }
  }

  /// A chain of 100 000 rewritten nodes, each holding its written formula, is freed without
  /// exhausting the stack, and computes log1p applied 100 000 times.
  @Test func longChainOfRewritesIsFreed() throws {
    let interpreter = try Interpreter()
    let value = try interpreter.run("""
      s = float64(1.0)
      for i in 0..<100000 { s = log(1 + s) }
      s
      """)
    // log1p(s) < s, and s_k ≈ 2/k for large k: after 100 000 steps, about 2e-5.
    let s = try #require(fixtureTensor(of: value)?.scalars.first)
    #expect(s > 1.9e-5 && s < 2.1e-5)
    #expect(interpreter.appliedRewrites.count == 1)
  }
}
