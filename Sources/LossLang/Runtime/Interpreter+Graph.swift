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
      let statements = try Parser.parse(file)
      let value = try evaluator.run(statements, in: evaluator.globals)
      guard case .tensor(let y) = value else {
        throw LossLangError(.runtime, "a graph needs a tensor expression, got a \(value.typeName)")
      }
      var names: [ObjectIdentifier: String] = [:]
      for name in evaluator.globals.names where name != "_" {
        if case .tensor(let n)? = evaluator.globals.lookup(name), names[ObjectIdentifier(n)] == nil {
          names[ObjectIdentifier(n)] = name
        }
      }
      let inputs = Node.topologicalOrder(from: [y])
        .filter { $0.inputs.isEmpty && !$0.isWeak && names[ObjectIdentifier($0)] != nil }
        .sorted { (names[ObjectIdentifier($0)] ?? "") < (names[ObjectIdentifier($1)] ?? "") }
      var roots = [GraphPrinter.Root(title: "value", node: y)]
      var note: String?
      if inputs.isEmpty {
        note = "no gradient: the value depends on no bound tensor"
      } else {
        let scalar = y.count == 1 ? y : evaluator.tracer.sum(y, axes: Array(0..<y.shape.count))
        if y.count != 1 { note = "gradients are of sum(value), since the value is not a scalar" }
        let grads = try evaluator.tracer.gradients(of: scalar, wrt: inputs)
        for (x, g) in zip(inputs, grads) {
          roots.append(GraphPrinter.Root(title: "∂/∂\(names[ObjectIdentifier(x)] ?? "?")", node: g))
        }
      }
      let printer = GraphPrinter(names: names)
      var text = printer.text(roots)
      if let note { text += "\n(\(note))" }
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
