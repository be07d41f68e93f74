import Testing

@testable import LossLang

/// Finite-difference checks (float64) of the regression, preference and multi-task losses of
/// the prelude: every loss, each option that changes the formula, and each reduction.
@Suite struct RegressionGradcheckTests {
  /// (name, a LossLang function of the inputs, inputs as LossLang literals separated by "|").
  static let cases: [GradcheckCase] = [
    ("mse_loss", "fn(x, y) => mse_loss(x, y)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("mse_loss_weight", "fn(x, w) => mse_loss(x, y3, weight=w)", "[0.3, -1.2, 2.0]|[0.5, 2.0, 1.5]"),
    ("mse_loss_sum", "fn(x) => mse_loss(x, y3, reduction=\"sum\")", "[0.3, -1.2, 2.0]"),
    ("l1_loss", "fn(x, y) => l1_loss(x, y)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("l1_loss_weight", "fn(x, w) => l1_loss(x, y3, weight=w)", "[0.3, -1.2, 2.0]|[0.5, 2.0, 1.5]"),
    ("smooth_l1_loss", "fn(x, y) => smooth_l1_loss(x, y)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("smooth_l1_loss_beta", "fn(x) => smooth_l1_loss(x, y3, reduction=\"sum\", beta=0.6)", "[0.3, -1.2, 2.0]"),
    ("smooth_l1_loss_beta0", "fn(x) => smooth_l1_loss(x, y3, beta=0)", "[0.3, -1.2, 2.0]"),
    ("huber_loss", "fn(x, y) => huber_loss(x, y)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("huber_loss_delta", "fn(x) => sum(huber_loss(x, y3, reduction=\"none\", delta=0.6) * c3)", "[0.3, -1.2, 2.0]"),
    ("huber_loss_weight", "fn(x, w) => huber_loss(x, y3, delta=0.9, weight=w)", "[0.3, -1.2, 2.0]|[0.5, 2.0, 1.5]"),
    ("poisson_nll_loss", "fn(x) => poisson_nll_loss(x, [0.0, 2.0, 5.0])", "[0.3, -1.2, 2.0]"),
    ("poisson_nll_loss_full", "fn(x, t) => poisson_nll_loss(x, t, full=true, reduction=\"sum\")", "[0.3, -1.2, 2.0]|[0.5, 2.0, 5.5]"),
    ("poisson_nll_loss_rate", "fn(x) => poisson_nll_loss(x, [0.0, 2.0, 5.0], log_input=false)", "[0.3, 1.2, 2.0]"),
    ("gaussian_nll_loss", "fn(x, t, v) => gaussian_nll_loss(x, t, v)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]|[0.5, 2.0, 1.5]"),
    ("gaussian_nll_loss_row_var", "fn(x, v) => gaussian_nll_loss(x, c23, v, full=true, reduction=\"sum\")", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]|[0.4, 1.7]"),
    ("gaussian_nll_loss_keepdim_var", "fn(v) => gaussian_nll_loss(c23 * 2, c23, v)", "[[0.4, 1.7, 0.9]]"),
    ("gaussian_nll_loss_clamped", "fn(x) => gaussian_nll_loss(x, c3, [0.05, 0.5, 0.01], eps=0.1)", "[0.3, -1.2, 2.0]"),
    ("log_cosh_loss", "fn(x, y) => log_cosh_loss(x, y)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("log_cosh_loss_large", "fn(x) => log_cosh_loss(x, y3, reduction=\"sum\")", "[30.0, -41.2, 0.0]"),
    ("quantile_loss", "fn(x, y) => quantile_loss(x, y, q=0.8)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("quantile_loss_q_tensor", "fn(q) => quantile_loss(c23, c23 * 2 - 0.3, q=q, reduction=\"sum\")", "[0.1, 0.5, 0.9]"),
    ("dpo_loss", "fn(pc, pr) => dpo_loss(pc, pr, [-2.0, -1.5, -7.0], [-3.0, -1.0, -2.0])", "[-2.5, -1.2, -6.0]|[-3.1, -0.7, -9.0]"),
    ("dpo_loss_ref", "fn(rc, rr) => dpo_loss(y3 - 3, y3 - 4, rc, rr, beta=2.0, reduction=\"sum\")", "[-2.5, -1.2, -6.0]|[-3.1, -0.7, -9.0]"),
    ("masked_mean", "fn(v) => masked_mean(v, [[1, 0, 1], [1, 1, 0]])", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"),
    ("masked_mean_soft_mask", "fn(m) => masked_mean(c23, m)", "[[0.3, 1.0, 0.5], [0.2, 0.9, 0.7]]"),
    ("uncertainty_weighted_loss", "fn(l, s) => uncertainty_weighted_loss(l, s)", "[0.3, 1.2, 2.0]|[0.5, -0.5, 1.0]"),
    ("second_order_huber", "fn(x) => sum(grad(huber_loss(x, y3, delta=2.0), x) * c3)", "[0.3, -1.2, 2.0]"),
    ("second_order_gaussian", "fn(v) => sum(grad(gaussian_nll_loss(c3, y3, v), v) * c3)", "[0.5, 2.0, 1.5]"),
    ("second_order_dpo", "fn(pc) => sum(grad(dpo_loss(pc, y3, c3, c3, beta=0.5), pc) * c3)", "[-2.5, -1.2, -6.0]"),
  ]

  static let preamble = """
    c3 = float64([0.7, -1.3, 0.4])
    y3 = float64([1.5, -0.5, 2.5])
    c23 = float64([[0.7, -1.3, 0.4], [0.2, 0.9, -0.6]])
    """

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }
}
