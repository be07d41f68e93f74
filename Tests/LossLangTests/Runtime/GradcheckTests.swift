import Testing

@testable import LossLang

/// Finite-difference checks (float64) of every primitive's VJP, through the builtins that
/// use them, including broadcasting, indexing and second-order gradients.
@Suite struct GradcheckTests {
  /// (name, a LossLang function of x (and y), inputs as LossLang literals).
  static let cases: [GradcheckCase] = [
    ("neg", "fn(x) => sum(neg(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("exp", "fn(x) => sum(exp(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("log", "fn(x) => sum(log(x) * c3)", "[0.3, 1.2, 2.0]"),
    ("log1p", "fn(x) => sum(log1p(x) * c3)", "[0.3, -0.5, 2.0]"),
    ("expm1", "fn(x) => sum(expm1(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("sqrt", "fn(x) => sum(sqrt(x) * c3)", "[0.3, 1.2, 2.0]"),
    ("rsqrt", "fn(x) => sum(rsqrt(x) * c3)", "[0.3, 1.2, 2.0]"),
    ("abs", "fn(x) => sum(abs(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("sin", "fn(x) => sum(sin(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("cos", "fn(x) => sum(cos(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("tanh", "fn(x) => sum(tanh(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("sigmoid", "fn(x) => sum(sigmoid(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("logsigmoid", "fn(x) => sum(logsigmoid(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("softplus", "fn(x) => sum(softplus(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("relu", "fn(x) => sum(relu(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("square", "fn(x) => sum(square(x) * c3)", "[0.3, -1.2, 2.0]"),
    ("clamp", "fn(x) => sum(clamp(x, min=-1, max=1) * c3)", "[0.3, -1.2, 2.0]"),
    ("add_broadcast", "fn(x, y) => sum((x + y) * c23)", "[[0.3], [1.5]]|[0.2, -0.7, 1.1]"),
    ("sub_broadcast", "fn(x, y) => sum((x - y) * c23)", "[[0.3], [1.5]]|[0.2, -0.7, 1.1]"),
    ("mul_broadcast", "fn(x, y) => sum((x * y) * c23)", "[[0.3], [1.5]]|[0.2, -0.7, 1.1]"),
    ("div_broadcast", "fn(x, y) => sum((x / y) * c23)", "[[0.3], [1.5]]|[0.2, -0.7, 1.1]"),
    ("pow_both", "fn(x, y) => sum(x ^ y * c3)", "[0.3, 1.2, 2.0]|[1.5, -0.5, 2.0]"),
    ("maximum", "fn(x, y) => sum(maximum(x, y) * c3)", "[0.3, 1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("minimum", "fn(x, y) => sum(minimum(x, y) * c3)", "[0.3, 1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("where", "fn(x, y) => sum(where([1, 0, 1], x, y) * c3)", "[0.3, 1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("sum_axis", "fn(x) => sum(sum(x, axis=1) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("mean_keepdims", "fn(x) => sum(mean(x, axis=0, keepdims=true) * c3)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("max_axis", "fn(x) => sum(max(x, axis=1) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("min_all", "fn(x) => min(x) * 3", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("prod", "fn(x) => sum(prod(x, axis=1) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("logsumexp", "fn(x) => sum(logsumexp(x, axis=1) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("norm2", "fn(x) => sum(norm(x, axis=1) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("norm1", "fn(x) => norm(x, p=1)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("norm3", "fn(x) => norm(x, p=3)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("var", "fn(x) => sum(var(x, axis=1) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("std", "fn(x) => std(x)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("softmax", "fn(x) => sum(softmax(x, axis=0) * c23)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("log_softmax", "fn(x) => sum(log_softmax(x) * c23)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("reshape_transpose", "fn(x) => sum(reshape(x.T, [6]) * arange(6))", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("permute_expand", "fn(x) => sum(expand(permute(x, [1, 0]), [2, 3, 2]) * c232)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("concat_stack", "fn(x, y) => sum(concat([x, y], axis=0) * c43) + sum(stack([x, y], axis=2) * c232)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]|[[1.0, 2.0, 3.0], [0.5, 0.1, -0.2]]"),
    ("squeeze_unsqueeze", "fn(x) => sum(squeeze(unsqueeze(x, 0)) * c23)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("slice_index", "fn(x) => sum(x[:, 1:] * [2.0, -1.0]) + x[1, 0] * 4", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("advanced_index", "fn(x) => sum(x[arange(2), [2, 0]] * c2) + sum(x[[1, 1], 1])", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("matmul", "fn(x, y) => sum((x @ y) * c22)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]|[[1.0, 2.0], [0.5, 0.1], [-0.2, 0.7]]"),
    ("matmul_batched", "fn(x, y) => sum(matmul(expand(x, [2, 2, 3]), y) * 1.5)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]|[[[1.0], [2.0], [0.5]], [[0.1], [-0.2], [0.7]]]"),
    ("matvec", "fn(x, y) => sum((x @ y) * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]|[1.0, 2.0, 0.5]"),
    ("cast", "fn(x) => sum(float64(float32(x) * 2) * c3)", "[0.25, -1.5, 2.0]|eps=1e-3|atol=1e-3"),
    ("second_order_tanh", "fn(x) => sum(grad(sum(tanh(x) * c3), x) * c3)", "[0.3, -1.2, 2.0]"),
    ("second_order_softmax", "fn(x) => sum(grad(sum(log_softmax(x) * c23), x) * c23)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("mse_loss", "fn(x, y) => mse_loss(x, y)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("l1_loss", "fn(x, y) => l1_loss(x, y, weight=[1.0, 2.0, 3.0])", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("bce_with_logits", "fn(x) => binary_cross_entropy_with_logits(x, [1.0, 0.0, 0.3], pos_weight=[2.0, 1.0, 0.5])", "[0.3, -1.2, 2.0]"),
    ("cross_entropy", "fn(x) => cross_entropy(x, [2, 0], label_smoothing=0.1)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("sigmoid_focal_loss", "fn(x, t) => sigmoid_focal_loss(x, t, reduction=\"sum\")", "[0.3, -1.2, 2.0]|[1.0, 0.0, 0.6]"),
  ]

  static let preamble = """
    c2 = float64([0.7, -1.3])
    c3 = float64([0.7, -1.3, 0.4])
    c22 = float64([[0.7, -1.3], [0.4, 1.1]])
    c23 = float64([[0.7, -1.3, 0.4], [0.2, 0.9, -0.6]])
    c43 = float64([[0.7, -1.3, 0.4], [0.2, 0.9, -0.6], [1.0, 0.5, 0.25], [-1.0, 2.0, 0.1]])
    c232 = float64(reshape(arange(12), [2, 3, 2]) / 7)
    """

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }

  /// gradcheck itself must be able to fail: a wrong gradient (via detach) is caught.
  @Test func gradcheckDetectsAWrongGradient() throws {
    let interp = try Interpreter()
    #expect(throws: LossLangError.self) {
      try interp.run("gradcheck(fn(x) => sum(x * detach(x)), float64([1.0, 2.0]))")
    }
  }
}
