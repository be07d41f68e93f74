/// `:graph EXPR`: the traced computation graph of an expression and of its gradient.
extension Interpreter {
  /// Traces `source` (an expression; the last one if several statements) and renders its
  /// graph together with the gradient graph, as a text tree and as Graphviz DOT.
  ///
  /// The gradient is taken with respect to every global tensor binding that is a leaf of the
  /// graph (`x` in `mse_loss(x, t)`); a non-scalar value is summed first. Nothing is computed
  /// except what the trace itself needs (control flow on values).
  public func graph(of source: String, path: String = "<repl>") throws -> GraphReport {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let traced = try TracedGradients(evaluator.run(Parser.parse(file), in: evaluator.globals), in: evaluator, for: "a graph")
      let roots = [GraphPrinter.Root(title: "value", node: traced.value)]
        + traced.gradients.map { GraphPrinter.Root(title: "∂/∂\($0.name)", node: $0.node) }
      let printer = GraphPrinter(names: traced.names)
      var text = printer.text(roots)
      if let note = traced.note { text += "\n(\(note))" }
      let nodes = Node.topologicalOrder(from: roots.map(\.node)).count
      return GraphReport(text: text, dot: printer.dot(roots), nodeCount: nodes)
    }
  }
}

/// The rendered graphs of one expression and its gradients.
public struct GraphReport: Sendable {
  /// Indented text trees: the value, then `∂/∂name` for each bound input.
  public let text: String
  /// The same graphs as one Graphviz `digraph` (`dot -Tsvg`).
  public let dot: String
  /// The number of distinct nodes shown.
  public let nodeCount: Int
}
