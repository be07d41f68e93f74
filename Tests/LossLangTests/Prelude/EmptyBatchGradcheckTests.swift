import Testing

@testable import LossLang

/// `gradcheck` of prelude losses over an empty batch: it runs (a NaN "mean" included) and
/// agrees, the gradient of a parameter the empty batch meets being zeros.
@Suite struct EmptyBatchGradcheckTests {
  /// (name, a LossLang function of the inputs, inputs as LossLang literals separated by "|").
  static let cases: [GradcheckCase] = [
    ("mse_loss", "fn(x, y) => mse_loss(x, y)", "zeros([0, 3])|zeros([0, 3])"),
    ("huber_loss_sum", "fn(x) => huber_loss(x, e3, reduction=\"sum\")", "zeros([0, 3])"),
    ("quantile_loss_q_tensor", "fn(x, q) => quantile_loss(x, e3, q=q, reduction=\"sum\")", "zeros([0, 3])|[0.1, 0.5, 0.9]"),
    ("cross_entropy", "fn(x) => cross_entropy(x, zeros([0]), label_smoothing=0.1)", "zeros([0, 3])"),
    ("bce_with_logits", "fn(x) => binary_cross_entropy_with_logits(x, e3, pos_weight=[1.0, 2.0, 3.0])", "zeros([0, 3])"),
    ("kl_div_batchmean", "fn(x, t) => kl_div(x, t, reduction=\"batchmean\")", "zeros([0, 3])|zeros([0, 3])"),
    ("multi_margin_loss", "fn(x) => multi_margin_loss(x, zeros([0]), p=2, reduction=\"sum\")", "zeros([0, 3])"),
    ("dice_loss", "fn(x) => dice_loss(x, float64(zeros([0, 2, 2])))", "zeros([0, 2, 2])"),
    ("triplet_margin_loss", "fn(a, p) => triplet_margin_loss(a, p, e3)", "zeros([0, 3])|zeros([0, 3])"),
    ("batch_hard_triplet_loss", "fn(e) => batch_hard_triplet_loss(e, zeros([0]))", "zeros([0, 3])"),
    ("nt_xent", "fn(e) => nt_xent(e)", "zeros([0, 3])"),
    ("clip_loss", "fn(a, b) => clip_loss(a, b)", "zeros([0, 3])|zeros([0, 3])"),
    ("masked_mean", "fn(v) => masked_mean(v, e3)", "zeros([0, 3])"),
    ("linear_layer_sum", "fn(w) => mse_loss(e3 @ w, float64(zeros([0, 2])), reduction=\"sum\")", "[[0.5, -1.0], [2.0, 0.3], [1.1, 0.2]]"),
  ]

  static let preamble = "e3 = float64(zeros([0, 3]))"

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }
}
