import Foundation

/// Renders traced graphs for people: an indented text tree, or Graphviz DOT.
///
/// Several roots (a value and its gradients) share one numbering: a node reached more than
/// once is printed in full the first time with a tag `#k`, and as `#k (above)` afterwards.
///
/// ```
/// mean: float32 ()
/// └─ pow: float32 (2,)
///    ├─ sub: float32 (2,)
///    │  ├─ x: float32 (2,)
///    │  └─ t: float32 (2,)
///    └─ 2
/// ```
struct GraphPrinter {
  /// One graph to print, under a heading such as `value` or `∂/∂x`.
  struct Root {
    /// The heading printed above the tree.
    let title: String
    /// The node at the top of the tree.
    let node: Node
  }

  /// Display names of nodes bound to user variables.
  let names: [ObjectIdentifier: String]
  /// The most lines the text tree shows before eliding the rest.
  var lineLimit = 300

  /// The roots as indented trees, one section per root.
  func text(_ roots: [Root]) -> String {
    let shared = sharedNodes(roots.map(\.node))
    var tags: [ObjectIdentifier: Int] = [:]
    var lines: [String] = []
    var elided = 0
    for root in roots {
      lines.append("\(root.title):")
      // (node, prefix for its children, connector before it)
      var stack: [(Node, String, String)] = [(root.node, "  ", "  ")]
      while let (node, childPrefix, connector) = stack.popLast() {
        guard lines.count < lineLimit else {
          elided += 1
          continue
        }
        let id = ObjectIdentifier(node)
        if let tag = tags[id] {
          lines.append(connector + "#\(tag) (above)")
          continue
        }
        var label = label(of: node)
        if shared.contains(id), !node.inputs.isEmpty {
          let tag = tags.count + 1
          tags[id] = tag
          label = "#\(tag) " + label
        }
        lines.append(connector + label)
        for (i, input) in node.inputs.enumerated().reversed() {
          let last = i == node.inputs.count - 1
          stack.append((input, childPrefix + (last ? "   " : "│  "), childPrefix + (last ? "└─ " : "├─ ")))
        }
      }
    }
    if elided > 0 { lines.append("… \(elided) more node\(elided == 1 ? "" : "s") not shown") }
    return lines.joined(separator: "\n")
  }

  /// The roots as one Graphviz `digraph`: data flows upward from inputs to results.
  func dot(_ roots: [Root]) -> String {
    let order = Node.topologicalOrder(from: roots.map(\.node))
    var ids: [ObjectIdentifier: Int] = [:]
    var out = [
      "digraph losslang {", "  rankdir=BT;",
      "  node [shape=box, fontname=\"Helvetica\", fontsize=11];",
    ]
    for (i, node) in order.enumerated() {
      ids[ObjectIdentifier(node)] = i
      var attributes = "label=\"\(Self.escape(label(of: node, separator: "\n")))\""
      if names[ObjectIdentifier(node)] != nil {
        attributes += ", style=filled, fillcolor=\"#cfe2ff\""
      } else if node.inputs.isEmpty {
        attributes += ", style=filled, fillcolor=\"#eeeeee\""
      }
      out.append("  n\(i) [\(attributes)];")
      for input in node.inputs {
        if let from = ids[ObjectIdentifier(input)] { out.append("  n\(from) -> n\(i);") }
      }
    }
    for (i, root) in roots.enumerated() {
      out.append("  r\(i) [label=\"\(Self.escape(root.title))\", shape=ellipse, style=bold];")
      if let from = ids[ObjectIdentifier(root.node)] { out.append("  n\(from) -> r\(i);") }
    }
    out.append("}")
    return out.joined(separator: "\n") + "\n"
  }

  /// `mean: float32 ()`, `x: float32 (2,)`, `0.25`, `sum axes=[1]: float64 (3,)`.
  func label(of node: Node, separator: String = ": ") -> String {
    let type = "\(node.dtype.rawValue) \(TensorFormatter.pythonTuple(node.shape))"
    if let name = names[ObjectIdentifier(node)] {
      return node.inputs.isEmpty ? name + separator + type : "\(name) = \(Self.opText(node.op))" + separator + type
    }
    if case .constant = node.op, node.count == 1, let v = node.value?.scalarValue {
      let number = TensorFormatter.number(v)
      return node.isWeak ? number : number + separator + type
    }
    return Self.opText(node.op) + separator + type
  }

  /// An op's name with the attributes that matter for reading the graph.
  static func opText(_ op: Op) -> String {
    switch op {
    case .reduce(_, let axes, let keepdims), .logsumexp(let axes, let keepdims):
      return op.name + " axes=\(axes)" + (keepdims ? " keepdims" : "")
    case .norm(let p, let axes, _): return "norm p=\(TensorFormatter.number(p)) axes=\(axes)"
    case .permute(let perm): return "permute \(perm)"
    case .concat(let axis): return "concat axis=\(axis)"
    default: return op.name
    }
  }

  /// Nodes with more than one user across all the roots (or that are themselves a root and used).
  private func sharedNodes(_ roots: [Node]) -> Set<ObjectIdentifier> {
    var users: [ObjectIdentifier: Int] = [:]
    for root in roots { users[ObjectIdentifier(root), default: 0] += 1 }
    for node in Node.topologicalOrder(from: roots) {
      for input in node.inputs { users[ObjectIdentifier(input), default: 0] += 1 }
    }
    return Set(users.filter { $0.value > 1 }.keys)
  }

  /// Escapes text for a double-quoted DOT string.
  private static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }
}
