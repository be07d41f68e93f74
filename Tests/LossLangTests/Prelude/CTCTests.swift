import Testing

@testable import LossLang

/// `ctc_loss` beyond the PyTorch fixtures (Fixtures/losses_sequence.json): float64
/// finite-difference checks of the native gradient, the reductions' dtype, infinite and
/// NaN policies, and the second-order error.
@Suite struct CTCTests {
  /// Shared inputs: logits z (T=7, N=3, C=5) and several target layouts.
  static let preamble = """
    z = float64(reshape(sin(arange(7 * 3 * 5) * 1.7) * 2, [7, 3, 5]))
    zu = float64(reshape(cos(arange(6 * 4) * 0.9) * 1.5, [6, 4]))
    padded = [[1, 2, 3], [4, 4, 0], [2, 0, 0]]
    concatenated = [1, 2, 3, 4, 4, 2]
    """

  /// (name, a LossLang function of the logits, the logits).
  /// Torch's gradient assumes normalized log_probs, so each check goes through log_softmax.
  static let cases: [GradcheckCase] = [
    ("padded_mean", "fn(z) => ctc_loss(log_softmax(z), padded, [7, 6, 5], [3, 2, 1])", "z"),
    ("padded_sum", "fn(z) => ctc_loss(log_softmax(z), padded, [7, 6, 5], [3, 2, 1], reduction=\"sum\")", "z"),
    ("padded_none", "fn(z) => sum(ctc_loss(log_softmax(z), padded, [7, 7, 4], [3, 2, 1], reduction=\"none\") * [0.7, -1.3, 0.4])", "z"),
    ("concatenated", "fn(z) => ctc_loss(log_softmax(z), concatenated, [7, 6, 5], [3, 2, 1])", "z"),
    ("unbatched", "fn(z) => ctc_loss(log_softmax(z), [1, 3, 3], 6, 3)", "zu"),
    ("repeated_tight", "fn(z) => ctc_loss(log_softmax(z), [[4, 4, 4], [1, 1, 0], [3, 3, 0]], [5, 3, 7], [3, 2, 2], reduction=\"sum\")", "z"),
    ("zero_length_target", "fn(z) => ctc_loss(log_softmax(z), padded, [7, 6, 5], [3, 0, 0])", "z"),
    ("zero_infinity", "fn(z) => ctc_loss(log_softmax(z), [[1, 1, 1], [4, 4, 0], [2, 0, 0]], [4, 6, 0], [3, 2, 1], zero_infinity=true)", "z"),
    ("blank_last", "fn(z) => ctc_loss(log_softmax(z), [[0, 2, 0], [1, 3, 0], [0, 0, 0]], [7, 6, 5], [3, 2, 1], blank=4)", "z"),
  ]

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }

  /// The losses keep log_probs' dtype, whatever the lengths' dtype (PyTorch's lengths are
  /// integers; the "mean" divisor takes the losses' dtype).
  @Test func dtypeFollowsLogProbs() throws {
    let interp = try Interpreter()
    try interp.run(Self.preamble)
    for reduction in ["mean", "sum", "none"] {
      let v = try interp.run("ctc_loss(float32(log_softmax(z)), padded, float64([7, 6, 5]), float64([3, 2, 1]), reduction=\"\(reduction)\")")
      #expect(v.tensor?.dtype == .float32, "\(reduction)")
      let g = try interp.run("grad(sum(ctc_loss(float32(log_softmax(z)), padded, [7, 6, 5], [3, 2, 1], reduction=\"\(reduction)\")), z)")
      #expect(g.tensor?.dtype == .float64, "\(reduction)")
    }
  }

  /// "mean" divides each loss by its target length before averaging (PyTorch #19838).
  @Test func meanDividesByTargetLength() throws {
    let interp = try Interpreter()
    try interp.run(Self.preamble)
    try interp.run("lp = log_softmax(z); tl = [3, 2, 0]; il = [7, 6, 5]")
    let mean = try #require(interp.run("ctc_loss(lp, padded, il, tl)").tensor?.scalarValue)
    let none = try #require(interp.run("ctc_loss(lp, padded, il, tl, reduction=\"none\")").tensor?.scalars)
    #expect(Tolerance(atol: 1e-12).accepts(mean, (none[0] / 3 + none[1] / 2 + none[2] / 1) / 3))
    #expect(!Tolerance(atol: 1e-3).accepts(mean, none.reduce(0, +) / 3))
  }

  /// An impossible alignment: +inf, and a NaN gradient for that sample as PyTorch; with
  /// zero_infinity, 0 and a zero gradient. A sample with no time steps gets a zero gradient.
  @Test func infeasibleAlignment() throws {
    let interp = try Interpreter()
    try interp.run(Self.preamble)
    try interp.run("tg = [[1, 1, 1], [2, 3, 0], [4, 0, 0]]; il = [4, 6, 0]; tl = [3, 2, 1]; lp = log_softmax(z)")
    let none = try #require(interp.run("ctc_loss(lp, tg, il, tl, reduction=\"none\")").tensor?.scalars)
    #expect(none[0] == .infinity && none[1].isFinite && none[2] == .infinity)
    let g = try #require(interp.run("grad(ctc_loss(lp, tg, il, tl, reduction=\"sum\"), lp)").tensor)
    // Layout (T, N, C): sample n, step t, class c is at (t * 3 + n) * 5 + c.
    #expect((0..<4).allSatisfy { t in (0..<5).allSatisfy { c in g[flat: (t * 3) * 5 + c].isNaN } })
    #expect((4..<7).allSatisfy { t in (0..<5).allSatisfy { c in g[flat: (t * 3) * 5 + c] == 0 } })
    #expect((0..<7).allSatisfy { t in (0..<5).allSatisfy { c in g[flat: (t * 3 + 2) * 5 + c] == 0 } })
    let zeroed = try #require(interp.run("ctc_loss(lp, tg, il, tl, reduction=\"none\", zero_infinity=true)").tensor?.scalars)
    #expect(zeroed == [0, none[1], 0])
    let gz = try #require(interp.run("grad(ctc_loss(lp, tg, il, tl, reduction=\"sum\", zero_infinity=true), lp)").tensor)
    #expect((0..<7).allSatisfy { t in (0..<5).allSatisfy { c in gz[flat: (t * 3) * 5 + c] == 0 } })
    #expect(gz.scalars.allSatisfy { $0.isFinite })
  }

  /// The native gradient is not differentiable again: a clear error, not a wrong number.
  @Test func secondOrderIsAnError() throws {
    let interp = try Interpreter()
    try interp.run(Self.preamble)
    let error = #expect(throws: LossLangError.self) {
      try interp.run("g = grad(ctc_loss(log_softmax(z), padded, [7, 6, 5], [3, 2, 1]), z)\ngrad(sum(g * g), z)")
    }
    #expect(error?.message.contains("second-order gradients are not supported") == true, "\(String(describing: error))")
  }

  /// The private builtin is hidden from listings; ctc_loss is a documented prelude loss.
  @Test func documentedAndPrivate() throws {
    let interp = try Interpreter()
    var printed = ""
    interp.output = { printed += $0 }
    try interp.run("help(ctc_loss)")
    #expect(printed.hasPrefix("ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=\"mean\", zero_infinity=false)"))
    #expect(printed.contains("native"))
  }
}
