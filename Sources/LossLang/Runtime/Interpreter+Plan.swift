/// `:plan EXPR`: what the planner makes of an expression and of its gradient.
extension Interpreter {
  /// Traces `source` (an expression; the last one if several statements) and describes the
  /// plans that would compute its value and its gradients: the steps, the fused kernels as
  /// tile programs, the row chains, and the primitives left unfused (see `Plan.description`).
  ///
  /// The gradients are those `graph(of:)` shows, with respect to every global tensor binding
  /// the value depends on, planned together as one computation. A list of tensors (such as
  /// `[loss, grad(loss, x)]`) is planned as one computation of its items, as evaluating it
  /// computes them. Planning computes nothing but what the trace itself needs (control flow
  /// on values).
  public func plan(of source: String, path: String = "<repl>") throws -> String {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let value = try evaluator.run(Parser.parse(file), in: evaluator.globals)
      if case .list(let items) = value {
        let nodes = try items.map { item -> Node in
          guard case .tensor(let node) = item else {
            throw LossLangError(.runtime, "a plan of a list needs tensors, got a \(item.typeName) in it")
          }
          return node
        }
        let names = TracedGradients.globalNames(in: evaluator)
        return "list (items planned together, roots in order):\n" + (try Self.planText(of: nodes, names: names))
      }
      let traced = try TracedGradients(value, in: evaluator, for: "a plan")
      var text = "value:\n" + (try Self.planText(of: [traced.value], names: traced.names))
      if !traced.gradients.isEmpty {
        let titles = traced.gradients.map { "∂/∂\($0.name)" }.joined(separator: ", ")
        text += "\n\ngradient (roots in order: \(titles)):\n" + (try Self.planText(of: traced.gradients.map(\.node), names: traced.names))
      }
      if let note = traced.note { text += "\n(\(note))" }
      return text
    }
  }

  /// The plan computing `roots`, as text with leaves named by `names`; a note instead if
  /// they are all computed already.
  private static func planText(of roots: [Node], names: [ObjectIdentifier: String]) throws -> String {
    guard roots.contains(where: { $0.value == nil }) else { return "(already computed: nothing to plan)" }
    let live = LiveGraph(roots: roots)
    return try Plan(live).description(labels: live.planLabels(names: names))
  }
}
