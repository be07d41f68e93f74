import Foundation
import Testing

@testable import LossLang

/// The classification metrics (`accuracy_score precision_score recall_score f1_score
/// confusion_matrix`) against scikit-learn: the cases of `Fixtures/metrics_classification.json`
/// (from `scripts/make_metric_fixtures_classification.py`, sklearn as the oracle, float32
/// and float64 inputs), each bad argument's message and location, and their help text.
@Suite struct ClassificationMetricTests {
  static let fixtureFile = "metrics_classification.json"
  static let fixtures: [FixtureCase] = (try? FixtureFile.load(fixtureFile)) ?? []

  @Test func theFixturesCoverEveryMetricAndAverage() throws {
    let cases = try FixtureFile.load(Self.fixtureFile)
    try #require(cases.count > 400, "the fixture file holds its cases")
    #expect(Set(cases.map(\.name)).count == cases.count, "case names are unique")
    for name in ["accuracy_score", "precision_score", "recall_score", "f1_score", "confusion_matrix"] {
      for dtype in ["float32", "float64"] {
        #expect(cases.contains { $0.expr.hasPrefix(name + "(") && $0.dtype == dtype }, "\(name) in \(dtype)")
      }
    }
    for average in ["macro", "micro", "weighted"] {
      #expect(cases.contains { $0.expr.contains("average=\"\(average)\"") }, "average=\(average)")
    }
    #expect(cases.contains { $0.name.hasSuffix("/default/float32") }, "the default average, binary")
    #expect(cases.contains { $0.name.contains("logits") }, "accuracy on scores")
  }

  @Test("matches scikit-learn", arguments: fixtures.map(\.name))
  func matchesScikitLearn(_ name: String) throws {
    let fixture = try #require(Self.fixtures.first { $0.name == name })
    let dtype = try #require(DType(rawValue: fixture.dtype))
    let interp = try Interpreter()
    for (input, t) in fixture.inputs { interp.bind(input, try Tensor(t.data, shape: t.shape, dtype: dtype)) }
    let value = try interp.run(fixture.expr)
    let tensor = try #require(fixtureTensor(of: value), "\(name): \(fixtureDescribe(value))")
    #expect(fixtureMismatch(tensor, fixture.value, tolerance: fixture.tolerance) == nil,
            "\(name): `\(fixture.expr)`: \(fixtureMismatch(tensor, fixture.value, tolerance: fixture.tolerance) ?? "")")
    #expect(tensor.dtype.rawValue == fixture.valueDType, "\(name): dtype \(tensor.dtype)")
  }

  /// (source of line 2, exact message): every error the metrics raise, each at the call.
  static let errors: [(String, String)] = [
    ("accuracy_score([0, 1], [0, 1, 1])",
     "accuracy_score: argument 'pred' has shape [3] but target has shape [2]; it must be class indices of shape [2] or scores of shape [2, C]"),
    ("precision_score([0, 1], [[0.2, 0.8], [0.9, 0.1]])",
     "precision_score: argument 'pred' has shape [2, 2] but target has shape [2]; it must be class indices of shape [2]"),
    ("accuracy_score([[0, 1]], [[0, 1]])",
     "accuracy_score: argument 'target' must be 1-D (one class index per sample), got shape [1, 2]"),
    ("accuracy_score([0, 0.5], [0, 1])",
     "accuracy_score: argument 'target' must hold class indices (whole numbers), got 0.5"),
    ("recall_score([0, 1], log([1, -1]))",
     "recall_score: argument 'pred' must hold class indices (whole numbers), got nan"),
    ("f1_score([0, 1], [-1, 1])",
     "f1_score: argument 'pred' must hold non-negative class indices, got -1"),
    ("confusion_matrix(float64([1e20]), [0])",
     "confusion_matrix: argument 'target' must hold class indices up to 2^53, got 1e+20"),
    ("f1_score([0, 1], [0, 1], average=\"samples\")",
     "f1_score: argument 'average' must be one of [\"binary\", \"macro\", \"micro\", \"weighted\"], got \"samples\""),
    ("precision_score([0, 1, 2], [0, 1, 1])",
     "precision_score: argument 'average' is \"binary\" but target and pred hold 3 classes [0, 1, 2]; choose another average setting, one of [\"macro\", \"micro\", \"weighted\"]"),
    ("recall_score([0, 2], [0, 2])",
     "recall_score: argument 'average' is \"binary\", which scores class 1, but target and pred hold classes [0, 2]; choose another average setting, one of [\"macro\", \"micro\", \"weighted\"]"),
    ("confusion_matrix([0, 1], [0, 3], num_classes=3)",
     "confusion_matrix: argument 'pred' holds class 3, which is not below num_classes=3"),
    ("confusion_matrix([4, 1], [0, 3], num_classes=3)",
     "confusion_matrix: argument 'target' holds class 4, which is not below num_classes=3"),
    ("confusion_matrix([0], [0], num_classes=0)",
     "confusion_matrix: argument 'num_classes' must be at least 1, got 0"),
    ("accuracy_score(zeros(0), zeros(0))",
     "accuracy_score: argument 'target' is empty; at least one sample is needed (as in scikit-learn)"),
    ("accuracy_score([0, 1], zeros(2, 0))",
     "accuracy_score: argument 'pred' has shape [2, 0]: scores over no classes have no argmax"),
  ]

  @Test("a bad argument is a runtime error at the call", arguments: errors.map(\.0))
  func badArgument(_ call: String) throws {
    let expected = try #require(Self.errors.first { $0.0 == call }).1
    let interp = try Interpreter()
    do {
      _ = try interp.run("x = 1\ny = \(call)", path: "user.loss")
      Issue.record("`\(call)` did not fail")
    } catch let error as LossLangError {
      #expect(error.kind == .runtime)
      #expect(error.message == expected)
      let span = try #require(error.diagnostics.first?.span)
      #expect(span.file.path == "user.loss" && span.line == 2 && span.column == 5, "\(span.line):\(span.column)")
    }
  }

  @Test func confusionMatrixOfClassesMissingBelowTheLargestHasEmptyRows() throws {
    let m = try #require(try Interpreter().run("confusion_matrix([0, 2, 2], [2, 2, 0])").tensor)
    #expect(m.shape == [3, 3])
    #expect(m.scalars == [0, 0, 1, 0, 0, 0, 1, 0, 1])
  }

  /// A large class index asks confusion_matrix for a large matrix: the tensor limits refuse
  /// it before anything is allocated, while the scores, which count the classes present only, do not depend on the indices' size.
  @Test func aHugeClassIndexMeetsTheTensorLimitsNotACrash() throws {
    var options = Interpreter.Options.sandboxed
    options.limits.maxTensorElements = 1_000_000
    let interp = try Interpreter(options: options)
    #expect(throws: LossLangError.self) { try interp.run("confusion_matrix([1e5], [0])") }
    #expect(throws: LossLangError.self) { try interp.run("confusion_matrix(float64([1e15]), [0])") }
    // Only the classes present count: relabelling 1 as 1e15 changes nothing.
    let huge = try #require(try interp.run("f1_score(float64([1e15, 0, 0]), float64([1e15, 1e15, 0]), average=\"macro\")").tensor)
    let small = try #require(try interp.run("f1_score(float64([1, 0, 0]), float64([1, 1, 0]), average=\"macro\")").tensor)
    #expect(huge.scalars == small.scalars)
  }

  /// The metrics are counts, constants of the graph: the gradient through one is 0, and
  /// the score is the same as that of the argmax taken by hand.
  @Test func aMetricOfScoresIsAConstantWithAZeroGradient() throws {
    let interp = try Interpreter()
    try interp.run("s = float64([[0.2, 1.5, -0.3], [2.0, 0.1, 0.4], [0.3, 0.2, 0.9], [1.0, 3.0, 2.0]])\nt = [1, 2, 2, 1]")
    let value = try #require(try interp.run("accuracy_score(t, s * 2)").tensor)
    #expect(value.shape == [] && value.scalars == [0.75] && value.dtype == .float64)
    let byHand = try #require(try interp.run("accuracy_score(t, argmax(s, axis=-1))").tensor)
    #expect(byHand.scalars == [0.75])
    let g = try #require(try interp.run("grad(accuracy_score(t, s * 2) + f1_score(t, argmax(s, axis=-1), average=\"macro\"), s)").tensor)
    #expect(g.shape == [4, 3] && g.scalars.allSatisfy { $0 == 0 })
  }

  @Test func theHelpOfEachMetricNamesScikitLearnAndNoGradient() throws {
    let interp = try Interpreter()
    var printed = ""
    interp.output = { printed += $0 }
    for name in ["accuracy_score", "precision_score", "recall_score", "f1_score", "confusion_matrix"] {
      printed = ""
      try interp.run("help(\(name))")
      #expect(printed.contains(name + "(target, pred"), "\(name): \(printed)")
      #expect(printed.contains("sklearn.metrics.\(name)"), "\(name)")
      #expect(printed.contains("Not differentiable"), "\(name)")
    }
  }
}
