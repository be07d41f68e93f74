import Testing

@testable import LossLang

/// `clip_grad_norm` beyond its torch fixtures (Fixtures/builtins_layers.json): the tree it
/// returns, dtypes, empty leaves, argument errors and float64 gradchecks.
@Suite struct ClipGradNormTests {
  static let cases: [GradcheckCase] = [
    ("clipped", "fn(w, b) => sum(clip_grad_norm({\"w\": w, \"b\": b}, 0.5)[\"w\"] * [0.3, -1.1]) + sum(clip_grad_norm([w, b], 0.5)[1])",
     "[1.5, -2.0]|[0.7, 0.2, -0.4]"),
    ("inf_norm", "fn(w, b) => sum(clip_grad_norm([w, b], 1.0, norm_type=inf)[0] * [0.3, -1.1, 0.8])",
     "[1.5, -2.5, 0.4]|[0.7, -3.0]"),
    ("p3_norm", "fn(w) => sum(clip_grad_norm(w, 0.2, norm_type=3)^2)", "[[1.5, -2.5], [0.4, 0.9]]"),
    ("not_clipped", "fn(w) => sum(clip_grad_norm(w, 10.0) * [0.3, -1.1])", "[1.5, -2.0]"),
  ]

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: "")
  }

  /// The result keeps the tree's structure: dict keys in order, nested lists, leaf shapes.
  @Test func theTreeKeepsItsStructure() throws {
    let out = try Interpreter().run("""
      g = {"layer": [ones(2, 3), {"bias": ones(3)}], "scale": float64(2.0)}
      c = clip_grad_norm(g, 1.0)
      [keys(c), keys(c["layer"][1]), shape(c["layer"][0]), shape(c["scale"])]
      """)
    #expect(out.description == "[[layer, scale], [bias], [2, 3], []]")
  }

  /// Each leaf keeps its dtype (torch multiplies in place); the total spans both.
  @Test func eachLeafKeepsItsDtype() throws {
    let interp = try Interpreter()
    try interp.run("c = clip_grad_norm([float32([3.0]), float64([4.0])], 1.0)")
    let a = try #require(try interp.run("c[0]").tensor)
    let b = try #require(try interp.run("c[1]").tensor)
    #expect(a.dtype == .float32 && b.dtype == .float64)
    let coefficient = 1 / (5 + 1e-6)
    #expect(Tolerance(rtol: 1e-6).accepts(a[flat: 0], 3 * coefficient))
    #expect(Tolerance(rtol: 1e-12).accepts(b[flat: 0], 4 * coefficient))
  }

  /// Empty leaves add nothing; a tree with no element at all comes back unchanged.
  @Test func emptyLeavesAddNothing() throws {
    let interp = try Interpreter()
    let clipped = try #require(try interp.run("clip_grad_norm([zeros(0), float64([6.0, 8.0])], 5.0, norm_type=inf)[1]").tensor)
    let coefficient: Double = 5 / (8 + 1e-6)
    #expect(Tolerance(rtol: 1e-12).mismatch(clipped.scalars, [6 * coefficient, 8 * coefficient]) == nil)
    #expect(try interp.run("shape(clip_grad_norm([zeros(0), zeros(2, 0)], 1.0)[1])").description == "[2, 0]")
    #expect(try interp.run("clip_grad_norm([], 1.0)").description == "[]")
  }

  @Test(arguments: [
    ("clip_grad_norm([1.0, 2.0], -1.0)", "clip_grad_norm: argument 'max_norm' must be non-negative, got -1.0"),
    ("clip_grad_norm([1.0, 2.0], 1.0, norm_type=0)", "clip_grad_norm: argument 'norm_type' must be positive or inf, got 0.0"),
    ("clip_grad_norm({\"w\": ones(2), \"name\": \"fc\"}, 1.0)",
     "clip_grad_norm: argument 'grads' must be a tensor or a list or dict of tensors, got string at [\"name\"]"),
  ])
  func badArgumentsNameTheParameter(_ source: String, _ message: String) throws {
    let error = #expect(throws: LossLangError.self) { try Interpreter().run(source) }
    #expect(error?.message == message, "\(source): \(String(describing: error?.message))")
  }
}
