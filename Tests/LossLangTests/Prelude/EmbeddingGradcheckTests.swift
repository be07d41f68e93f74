import Testing

@testable import LossLang

/// Finite-difference checks (float64) of the metric-learning, ranking and contrastive losses
/// and the distance helpers of the prelude: every function, each option that changes the
/// formula (p, swap, custom distances, margins, temperatures) and each reduction.
@Suite struct EmbeddingGradcheckTests {
  /// (name, a LossLang function of the inputs, inputs as LossLang literals separated by "|").
  /// Inputs are chosen away from the kinks (relu at 0, ties in max/min) and from norms
  /// below cosine_similarity's eps.
  static let cases: [GradcheckCase] = [
    ("pairwise_distance", "fn(x, y) => sum(pairwise_distance(x, y) * c2)", "\(a23)|\(b23)"),
    ("pairwise_distance_p1", "fn(x, y) => sum(pairwise_distance(x, y, p=1) * c2)", "\(a23)|\(b23)"),
    ("pairwise_distance_p3", "fn(x) => sum(pairwise_distance(x, b23, p=3, eps=0.01) * c2)", a23),
    ("cosine_similarity", "fn(x, y) => sum(cosine_similarity(x, y) * c2)", "\(a23)|\(b23)"),
    ("cosine_similarity_axis0", "fn(x) => sum(cosine_similarity(x, b23, axis=0) * c3)", a23),
    ("cosine_similarity_broadcast", "fn(x, y) => sum(cosine_similarity(x, y) * c2)", "\(a23)|[[0.7]]"),
    // Not below eps: there PyTorch's (and LossLang's) gradient ignores the clamp on purpose,
    // so it is not the finite difference; the PyTorch fixtures cover that case.
    ("cosine_similarity_eps", "fn(x) => sum(cosine_similarity(x, b23, eps=0.5) * c2)", a23),
    ("normalize", "fn(x) => sum(normalize(x) * c23)", a23),
    ("normalize_p1_axis0", "fn(x) => sum(normalize(x, p=1, axis=0) * c23)", a23),
    ("cdist", "fn(x, y) => sum(cdist(x, y) * c22)", "\(a23)|\(b23)"),
    ("cdist_batched", "fn(x) => sum(cdist(x, x + 0.5))", "[[[0.3, 1.2], [1.5, -0.5]], [[2.0, 0.1], [0.4, 0.9]]]"),
    ("cosine_embedding_loss", "fn(x, y) => cosine_embedding_loss(x, y, [1.0, -1.0])", "\(a23)|\(b23)"),
    ("cosine_embedding_loss_margin", "fn(x) => cosine_embedding_loss(x, b23, [-1.0, -1.0], margin=-0.5, reduction=\"sum\")", a23),
    ("cosine_embedding_loss_none", "fn(x) => sum(cosine_embedding_loss(x, b23, [1.0, 0.0], reduction=\"none\") * c2)", a23),
    ("cosine_embedding_loss_zero_vector", "fn(x) => cosine_embedding_loss(x, [0.0, 0.0, 0.0], 1.0)", "[0.3, -1.2, 2.0]"),
    ("hinge_embedding_loss", "fn(x) => hinge_embedding_loss(x, [1.0, -1.0, -1.0, 0.0])", "[0.3, 0.4, 2.5, -0.7]"),
    ("hinge_embedding_loss_margin", "fn(x) => sum(hinge_embedding_loss(x, [1.0, -1.0, -1.0, 0.0], margin=2.0, reduction=\"none\") * c4)", "[0.3, 0.4, 2.5, -0.7]"),
    ("margin_ranking_loss", "fn(x, y) => margin_ranking_loss(x, y, [1.0, -1.0, 1.0], margin=0.2)", "[0.3, -1.2, 2.0]|[1.5, -0.5, 2.5]"),
    ("margin_ranking_loss_sum", "fn(x) => margin_ranking_loss(x, y3, [-1.0, 1.0, -1.0], reduction=\"sum\")", "[0.3, -1.2, 2.0]"),
    ("triplet_margin_loss", "fn(a, p, n) => triplet_margin_loss(a, p, n, margin=2.0)", "\(a23)|\(b23)|\(n23)"),
    ("triplet_margin_loss_p1", "fn(a) => triplet_margin_loss(a, b23, n23, margin=3.0, p=1, reduction=\"sum\")", a23),
    ("triplet_margin_loss_swap", "fn(a, p, n) => triplet_margin_loss(a, p, n, margin=1.5, swap=true)", "[[0.0, 0.0], [1.0, 1.0]]|[[1.0, 0.0], [1.5, 0.5]]|[[1.6, 0.2], [2.5, 0.1]]"),
    ("triplet_margin_loss_anchor_is_positive", "fn(a, n) => triplet_margin_loss(a, a, n, reduction=\"sum\")", "\(a23)|\(n23)"),
    ("triplet_margin_with_distance_loss", "fn(a, p, n) => triplet_margin_with_distance_loss(a, p, n, margin=2.0)", "\(a23)|\(b23)|\(n23)"),
    ("triplet_margin_with_distance_loss_cosine", "fn(a) => triplet_margin_with_distance_loss(a, b23, n23, distance_function=fn(u, v) => 1 - cosine_similarity(u, v), margin=0.5, swap=true, reduction=\"sum\")", a23),
    ("contrastive_loss", "fn(x, y) => contrastive_loss(x, y, [0.0, 1.0], margin=3.0)", "\(a23)|\(b23)"),
    ("contrastive_loss_none", "fn(x) => sum(contrastive_loss(x, b23, [1.0, 0.0], margin=4.0, reduction=\"none\") * c2)", a23),
    ("contrastive_loss_identical_pair", "fn(x) => contrastive_loss(x, x, 1.0)", "[0.3, -1.2, 2.0]"),
    ("batch_hard_triplet_loss", "fn(e) => batch_hard_triplet_loss(e, [0.0, 1.0, 0.0, 1.0, 0.0], margin=2.0)", e52),
    ("batch_all_triplet_loss", "fn(e) => batch_all_triplet_loss(e, [0.0, 1.0, 0.0, 1.0, 0.0], margin=0.7)", e52),
    ("info_nce", "fn(x) => info_nce(x)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5], [0.1, 0.7, -0.9]]"),
    ("info_nce_none", "fn(x) => sum(info_nce(x, reduction=\"none\") * c2)", a23),
    ("clip_loss", "fn(x, y) => clip_loss(x, y)", "\(a23)|\(b23)"),
    ("clip_loss_temperature", "fn(x) => clip_loss(x, n23, temperature=0.5)", a23),
    ("nt_xent", "fn(e) => nt_xent(e)", "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5], [0.1, 0.7, -0.9], [1.0, 2.0, 0.5]]"),
    ("nt_xent_temperature", "fn(e) => nt_xent(e, temperature=0.5)", e52 + "[:4]"),
    ("second_order_triplet", "fn(a) => sum(grad(triplet_margin_loss(a, b23, n23, margin=2.0), a) * c23)", a23),
    ("second_order_contrastive", "fn(x) => sum(grad(contrastive_loss(x, b23, [0.0, 1.0], margin=3.0), x) * c23)", a23),
    ("second_order_clip", "fn(x) => sum(grad(clip_loss(x, b23, temperature=0.5), x) * c23)", a23),
  ]

  static let a23 = "[[0.3, 1.2, 2.0], [1.5, -0.5, 2.5]]"
  static let b23 = "[[1.0, 0.7, -0.4], [0.6, 0.1, 1.9]]"
  static let n23 = "[[0.9, 1.5, 1.0], [1.2, -0.9, 2.2]]"
  static let e52 = "[[0.0, 0.1], [1.0, 0.3], [0.2, 0.9], [1.3, 1.1], [0.6, 0.2]]"

  static let preamble = """
    c2 = float64([0.7, -1.3])
    c3 = float64([0.7, -1.3, 0.4])
    c4 = float64([0.7, -1.3, 0.4, 1.1])
    c22 = float64([[0.7, -1.3], [0.4, 1.1]])
    c23 = float64([[0.7, -1.3, 0.4], [0.2, 0.9, -0.6]])
    y3 = float64([1.5, -0.5, 2.5])
    b23 = float64(\(b23))
    n23 = float64(\(n23))
    """

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }

  /// Zero distances keep every gradient finite: identical embeddings in the mining losses,
  /// anchor == positive with eps = 0, an identical contrastive pair, a zero vector.
  @Test func gradientsAtZeroDistanceAreFinite() throws {
    let checks = [
      "e = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0]]\ng = grad(batch_hard_triplet_loss(e, [0.0, 0.0, 1.0, 1.0]), e)",
      "e = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0]]\ng = grad(batch_all_triplet_loss(e, [0.0, 1.0, 0.0, 1.0]), e)",
      "a = [[1.0, 2.0]]\ng = grad(triplet_margin_loss(a, a * 1, [[1.5, 2.0]], eps=0), a)",
      "x = [1.0, 2.0]\ng = grad(contrastive_loss(x, x * 1, 0.0) + contrastive_loss(x, x * 1, 1.0), x)",
      "x = [0.0, 0.0]\ng = grad(cosine_embedding_loss(x, [1.0, 2.0], -1.0), x)",
      "x = [[0.0, 0.0], [1.0, 1.0]]\ng = grad(sum(cdist(x, x)), x)",
    ]
    for source in checks {
      let interp = try Interpreter()
      let result = try interp.run(source + "\nsum(g * 0) == 0")
      #expect(result.description == "true", "\(source): the gradient is not finite (\(result))")
    }
  }
}
