/// The prelude's cross-entropies that take probabilities where nothing checks them
/// (`--lint`): a target outside [0, 1] gives a loss that is silently wrong (it may be
/// negative, and its minimum is not at the target). `binary_cross_entropy` refuses such
/// values with an error, so it is not here.
enum ProbabilityArguments {
  /// Function name → the parameter holding probabilities.
  static let parameters = [
    "binary_cross_entropy_with_logits": "target",
    "sigmoid_focal_loss": "targets",
    "cross_entropy": "target",
  ]

  /// The hazard a call of the prelude function `f` with `bound` arguments shows, or nil.
  ///
  /// `cross_entropy`'s target holds probabilities only when it has the input's shape
  /// (otherwise it holds class indices). A value that cannot be read here is left to the
  /// call itself, which reports it.
  static func finding(_ f: Function, _ bound: [RuntimeValue], _ evaluator: Evaluator) -> String? {
    guard let parameter = parameters[f.name], evaluator.registry.lookup(f.name)?.function === f,
      let i = f.parameters.firstIndex(where: { $0.name == parameter }),
      let node = try? evaluator.tensorValue(bound[i]), node.dtype != .bool
    else { return nil }
    if f.name == "cross_entropy" {
      guard let input = try? evaluator.tensorValue(bound[0]), input.shape == node.shape else { return nil }
    }
    guard let t = try? evaluator.materialize(node) else { return nil }
    var outside = 0
    var first = 0.0
    for k in 0..<t.count {
      let v = t[flat: k]
      guard !(v >= 0 && v <= 1) else { continue }
      if outside == 0 { first = v }
      outside += 1
    }
    guard outside > 0 else { return nil }
    let place = LintHazard.place(outside, of: t.count)
    let value = TensorFormatter.scalar(first, dtype: t.dtype) + (t.count == 1 ? "" : " first")
    return "probability outside [0, 1] given to `\(f.name)` as `\(parameter)`\(place): \(value)"
  }
}
