/// `--lint` (``InterpreterOptions/lint``): watches a run for the textbook numerical hazards
/// (``LintHazard``; docs/lint.md) and reports each as a warning with the values that
/// triggered it, once per source location and hazard.
///
/// It sees every primitive computed (values run one primitive at a time while linting),
/// every `sqrt`/`pow` a `grad` differentiates, every loop settlement, `mean` over no
/// elements and the probabilities given to the prelude's cross-entropies; and it reports
/// each stable rewrite applied as a note (``RewriteNotes``). Nothing of it runs without `lint`.
final class Linter {
  /// Delivers a finding as a warning (the evaluator's ``Evaluator/warn(_:at:severity:)``).
  private let report: (String, SourceSpan?) -> Void
  /// The hazards reported so far, by place.
  private var reported = SourcePlaces<LintHazard>()
  /// The `sqrt` and `pow` gradients built so far.
  let gradients = GradientWatch()
  /// The history each loop keeps.
  var loops = LoopGrowth()
  /// The stable rewrites applied and not yet reported as notes.
  var rewrites = RewriteNotes()

  /// A linter reporting through `report`.
  init(report: @escaping (String, SourceSpan?) -> Void) {
    self.report = report
  }

  /// Reports `message` unless `hazard` was reported at `span` before (a mean over no
  /// elements reported there also covers its division by 0).
  func flag(_ hazard: LintHazard, _ message: String, at span: SourceSpan?) {
    if hazard == .divisionByZero, reported.contains(span, .emptyMean) { return }
    guard reported.insert(span, hazard) else { return }
    report(message, span)
  }

  /// Inspects one primitive computed from `inputs` (``Executor/Inspector``): a watched
  /// gradient, and a forward node's values.
  func inspect(_ node: Node, _ result: Tensor, _ inputs: [Tensor]) {
    if let (message, span) = gradients.finding(node, result, inputs) {
      flag(.singularGradient, message, at: span)
    }
    guard !node.isGradient else { return }
    for (hazard, message) in ValueHazards.findings(node, inputs) { flag(hazard, message, at: node.span) }
  }

  /// Reports a mean over no elements of a tensor of `shape` (the `mean` builtin's call).
  func emptyMean(shape: [Int], at span: SourceSpan?) {
    flag(.emptyMean, "`mean` over no elements (a tensor of shape \(shape)) gives NaN", at: span)
  }
}
