import Foundation
import Testing

@testable import LossLang

/// `roc_auc_score`, `calibration_error` and `recall_at_k` against scikit-learn, torchmetrics
/// and numpy (Fixtures/metrics_ranking.json, from scripts/make_metric_fixtures_ranking.py),
/// and every argument error.
@Suite struct RankingMetricsTests {
  static let file = "metrics_ranking.json"
  static let cases: [FixtureCase] = (try? FixtureFile.load(file)) ?? []

  @Test func theFixturesLoad() throws {
    let cases = try FixtureFile.load(Self.file)
    #expect(cases.count >= 50)
    #expect(Set(cases.map(\.name)).count == cases.count, "duplicate case names")
    for metric in ["roc_auc_score", "calibration_error", "recall_at_k"] {
      #expect(cases.contains { $0.expr.hasPrefix(metric) }, "no case of \(metric)")
    }
  }

  @Test(arguments: cases.map(\.name))
  func matchesItsOracle(_ name: String) throws {
    let fixture = try #require(Self.cases.first { $0.name == name })
    let dtype = try #require(DType(rawValue: fixture.dtype))
    let interp = try Interpreter()
    for (input, t) in fixture.inputs { interp.bind(input, try Tensor(t.data, shape: t.shape, dtype: dtype)) }
    let value = try #require(try interp.run(fixture.expr).tensor, "\(fixture.expr) is not a tensor")
    #expect(value.shape == [] && value.dtype == dtype, "\(name): shape \(value.shape), dtype \(value.dtype)")
    let mismatch = fixtureMismatch(value, fixture.value, tolerance: fixture.tolerance)
    #expect(mismatch == nil, "\(name): `\(fixture.expr)`: \(mismatch ?? "")")
  }

  /// Each bad input and its exact message (docs/errors.md lists them too).
  @Test(arguments: [
    ("roc_auc_score([0, 1, 1], [0.5, 0.2])",
     "roc_auc_score: argument 'scores' must have shape [3] (one score per sample of target), got [2]"),
    ("roc_auc_score([[0, 1]], [[0.5, 0.2]])",
     "roc_auc_score: argument 'target' must be 1-D (one class per sample), got shape [1, 2]"),
    ("roc_auc_score([0, 2, 1], [0.1, 0.5, 0.2])",
     "roc_auc_score: argument 'target' must hold binary classes 0 and 1, got 2"),
    ("roc_auc_score([1, 1, 1], [0.1, 0.5, 0.2])",
     "roc_auc_score: argument 'target' must hold both classes 0 and 1 (ROC AUC is not defined otherwise), got only class 1"),
    ("roc_auc_score(zeros([0]), zeros([0]))",
     "roc_auc_score: argument 'target' must hold both classes 0 and 1 (ROC AUC is not defined otherwise), got no samples"),
    ("roc_auc_score([0, 1], [0.1, log(-1.0)])", "roc_auc_score: argument 'scores' must be finite, got nan"),
    ("calibration_error([0.2, 1.5], [0, 1])",
     "calibration_error: argument 'probs' must hold probabilities in [0, 1], got 1.5"),
    ("calibration_error([[0.2, 0.8]], [1], bins=0)", "calibration_error: argument 'bins' must be at least 1, got 0"),
    ("calibration_error([0.2, 0.8], [0, 1, 1])",
     "calibration_error: argument 'target' must have shape [2] (one class per sample of probs), got [3]"),
    ("calibration_error([0.2, 0.8], [0, 2])",
     "calibration_error: argument 'target' must hold 0 and 1 for 1-D probs (binary), got 2"),
    ("calibration_error([[0.2, 0.8], [0.6, 0.4]], [0, 2])",
     "calibration_error: argument 'target' must hold class indices in [0, 2), got 2"),
    ("calibration_error(zeros(2, 2, 2), [0, 1])",
     "calibration_error: argument 'probs' must be 1-D (binary: the probability of class 1) or 2-D (samples, classes), got shape [2, 2, 2]"),
    ("recall_at_k([[0.0], [1.0], [2.0]], [0, 1, 0], k=0)",
     "recall_at_k: argument 'k' must be at least 1 and less than the number of samples (3), got 0"),
    ("recall_at_k([[0.0], [1.0], [2.0]], [0, 1, 0], k=3)",
     "recall_at_k: argument 'k' must be at least 1 and less than the number of samples (3), got 3"),
    ("recall_at_k([[0.0], [1.0], [2.0]], [0, 1])",
     "recall_at_k: argument 'labels' must have shape [3] (one label per row of embeddings), got [2]"),
    ("recall_at_k([0.0, 1.0, 2.0], [0, 1, 0])",
     "recall_at_k: argument 'embeddings' must be 2-D (samples, features), got shape [3]"),
    ("recall_at_k([[0.0], [1.0 / 0.0]], [0, 1])", "recall_at_k: argument 'embeddings' must be finite, got inf"),
  ])
  func badInputIsAnError(_ source: String, _ message: String) {
    #expect {
      try Interpreter().run(source)
    } throws: { error in
      guard let error = error as? LossLangError else { return false }
      #expect(error.kind == .runtime && error.message == message, "\(source): \(error.message)")
      return true
    }
  }

  /// Ties in distance go to the lower index: from sample 1, samples 0 and 2 are equally far,
  /// and 0 (another label) comes first, so k = 1 misses and k = 2 hits.
  @Test func recallAtKBreaksTiesByIndex() throws {
    let points = "e = [[0.0], [1.0], [2.0], [10.0]]\ny = [0, 1, 1, 1]\n"
    let one = try #require(try Interpreter().run(points + "recall_at_k(e, y)").tensor?.scalarValue)
    let two = try #require(try Interpreter().run(points + "recall_at_k(e, y, k=2)").tensor?.scalarValue)
    // Queries: 0 → nearest 1 (label 1): miss; 1 → 0 then 2: k=1 miss, k=2 hit; 2 → 1: hit;
    // 3 → 2: hit.
    #expect(one == 0.5)
    #expect(two == 0.75)
  }

  /// A metric reads the values of a computed (traced) expression; its result is a constant,
  /// so a gradient through it is zero.
  @Test func readsComputedInputsAndIsAConstant() throws {
    let interp = try Interpreter()
    let auc = try #require(try interp.run("""
      z = float64([-1.0, 0.5, 2.0, -0.3])
      roc_auc_score([0, 1, 0, 0], sigmoid(z * 2))
      """).tensor)
    #expect(auc.scalarValue == 2.0 / 3.0 && auc.dtype == .float64)
    let g = try #require(try interp.run("p = [0.2, 0.9, 0.6]\ngrad(calibration_error(p, [0, 1, 1]), p)").tensor)
    #expect(g.scalars == [0, 0, 0])
  }
}
