import Testing

@testable import LossLang

/// Finite-difference checks (float64) of the classification losses' gradients: every loss of
/// stdlib/classification.loss, w.r.t. each differentiable argument, plus second order for the
/// losses whose gradient is written by hand (binary_cross_entropy's PyTorch backward).
@Suite struct ClassificationGradcheckTests {
  /// (name, a LossLang function of the inputs, inputs as LossLang literals separated by "|").
  /// Inputs stay away from the kinks of the hinge losses by more than the step (1e-6).
  static let cases: [GradcheckCase] = [
    ("binary_cross_entropy", "fn(x, t) => binary_cross_entropy(x, t, weight=[1.0, 2.0, 0.5])", "[0.3, 0.6, 0.8]|[0.3, 0.9, 0.1]"),
    ("binary_cross_entropy_sum", "fn(x) => binary_cross_entropy(x, [[0.0, 1.0], [0.4, 0.9]], reduction=\"sum\")", "[[0.02, 0.97], [0.5, 0.45]]"),
    ("binary_cross_entropy_second_order", "fn(x) => sum(grad(binary_cross_entropy(x, [0.3, 1.0, 0.0], reduction=\"sum\"), x) * c3)", "[0.3, 0.6, 0.8]"),
    ("binary_cross_entropy_mixed_second_order", "fn(t) => sum(grad(binary_cross_entropy(float64([0.3, 0.6, 0.8]), t, reduction=\"sum\"), t) * c3) + sum(t)", "[0.3, 0.6, 0.2]"),
    ("binary_cross_entropy_with_logits", "fn(x, t) => binary_cross_entropy_with_logits(x, t, weight=[[1.0, 0.5, 2.0]], reduction=\"sum\", pos_weight=[2.0, 1.0, 0.5])", "[[0.3, -1.2, 2.0], [4.0, -3.0, 0.1]]|[[1.0, 0.0, 0.3], [0.5, 0.9, 1.0]]"),
    ("cross_entropy_weight_ignore_smoothing", "fn(x) => cross_entropy(x, [2, 1, 0, 1], weight=[0.5, 2.0, 1.5], ignore_index=1, label_smoothing=0.2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5], [0.1, 0.2, -0.3], [1.0, -2.0, 0.5]]"),
    ("cross_entropy_sum_kdim", "fn(x) => cross_entropy(x, [[0, 2], [1, 1]], reduction=\"sum\", label_smoothing=0.1)", "[[[0.3, 1.2], [2.0, 1.5], [-0.5, 2.5]], [[0.1, 0.2], [-0.3, 1.0], [-2.0, 0.5]]]"),
    ("cross_entropy_none", "fn(x) => sum(cross_entropy(x, [2, 0], reduction=\"none\") * c2)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("cross_entropy_probabilities", "fn(x, t) => cross_entropy(x, t, weight=[0.5, 2.0, 1.5], label_smoothing=0.3)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]|[[0.2, 0.3, 0.5], [0.7, 0.1, 0.2]]"),
    ("cross_entropy_second_order", "fn(x) => sum(grad(cross_entropy(x, [2, 0], weight=[0.5, 2.0, 1.5], label_smoothing=0.2), x) * c23)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("nll_loss", "fn(x) => nll_loss(x, [2, 0, 1], weight=[0.5, 2.0, 1.5], ignore_index=0)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5], [0.1, 0.2, -0.3]]"),
    ("kl_div_batchmean", "fn(x, t) => kl_div(x, t, reduction=\"batchmean\")", "[[-1.2, -0.7, -1.5], [-0.2, -2.5, -3.0]]|[[0.2, 0.3, 0.5], [0.7, 0.1, 0.2]]"),
    ("kl_div_log_target", "fn(x, t) => kl_div(x, t, reduction=\"sum\", log_target=true)", "[[-1.2, -0.7, -1.5], [-0.2, -2.5, -3.0]]|[[-1.6, -1.2, -0.7], [-0.4, -2.3, -1.6]]"),
    ("kl_div_zero_target", "fn(x) => kl_div(x, [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])", "[[-1.2, -0.7, -1.5], [-0.2, -2.5, -3.0]]"),
    ("soft_margin_loss", "fn(x, y) => soft_margin_loss(x, y)", "[0.3, -1.2, 2.0]|[1.0, -1.0, -0.5]"),
    ("multilabel_soft_margin_loss", "fn(x, t) => multilabel_soft_margin_loss(x, t, weight=[0.5, 2.0, 1.5], reduction=\"sum\")", "[[0.3, -1.2, 2.0], [1.5, -0.5, 2.5]]|[[1.0, 0.0, 1.0], [0.2, 0.9, 0.0]]"),
    ("multilabel_margin_loss", "fn(x) => multilabel_margin_loss(x, [[2, 0, -1, 1], [3, -1, 0, 0]])", "[[0.3, -1.2, 2.0, 0.9], [1.5, -0.5, 2.5, 0.2]]"),
    ("multi_margin_loss_p1", "fn(x) => multi_margin_loss(x, [2, 0], weight=[0.5, 2.0, 1.5], reduction=\"sum\")", "[[0.3, 1.2, 2.0], [1.5, -0.7, 2.2]]"),
    ("multi_margin_loss_p2", "fn(x) => multi_margin_loss(x, [2, 0], p=2, margin=1.5)", "[[0.3, 1.2, 2.0], [1.5, -0.7, 2.2]]"),
    ("multi_margin_loss_unbatched_target1", "fn(x) => multi_margin_loss(x, [1], p=2, margin=1.5)", "[0.3, 1.2, 2.0, -0.4]"),
    ("multilabel_margin_loss_unbatched", "fn(x) => multilabel_margin_loss(x, [2, 0, -1, 1])", "[0.3, -1.2, 2.0, 0.9]"),
    ("sigmoid_focal_loss", "fn(x, t) => sigmoid_focal_loss(x, t, alpha=0.4, gamma=1.5, reduction=\"mean\")", "[0.3, -1.2, 2.0]|[1.0, 0.0, 0.6]"),
    ("focal_loss", "fn(x) => focal_loss(x, [2, 0], alpha=0.25, gamma=2.0)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("focal_loss_second_order", "fn(x) => sum(grad(focal_loss(x, [2, 0], gamma=1.5), x) * c23)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("dice_loss", "fn(p, t) => dice_loss(p, t, smooth=0.5, reduction=\"sum\")", "[[0.3, 0.2, 0.9], [0.5, 0.7, 0.1]]|[[1.0, 0.0, 1.0], [0.0, 1.0, 0.3]]"),
  ]

  static let preamble = """
    c2 = float64([0.7, -1.3])
    c3 = float64([0.7, -1.3, 0.4])
    c23 = float64([[0.7, -1.3, 0.4], [0.2, 0.9, -0.6]])
    """

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }
}
