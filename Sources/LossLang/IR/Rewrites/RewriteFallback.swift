/// Gradients with respect to a value inside a rewritten formula.
///
/// With `p = sigmoid(z)`, `log(p)` is traced as `logsigmoid(z)`, which does not read `p`:
/// a backward walk from it never meets `p`. Before `grad` differentiates, every rewritten
/// node whose written formula holds a target inside is replaced by that formula (the nodes
/// above it are copied), so such a gradient is the written formula's, as without rewrites.
enum RewriteFallback {
  /// `y` with the rewritten nodes that hide one of `xs` written out (their written formulas
  /// too: a rewrite nested in another is written out when it hides one), or nil when none
  /// does. `order` is the walk from `y` (a rewrite nested in another hides a target only if
  /// the outer one does); nodes recorded before `oldest` cannot depend on a target.
  static func unrewritten(_ y: Node, order: [Node], wrt xs: [Node], oldest: UInt64) -> Node? {
    var targets = NodeIndex()
    for x in xs { targets.set(x, 0) }
    guard order.contains(where: { $0.rewrite?.interior.contains(where: targets.contains) == true }) else { return nil }
    var hiding: [ObjectIdentifier: Node] = [:]
    func writtenForm(_ node: Node) -> Node? {
      guard let origin = node.rewrite else { return nil }
      if let naive = hiding[ObjectIdentifier(node)] { return naive }
      guard origin.interior.contains(where: targets.contains) else { return nil }
      hiding[ObjectIdentifier(node)] = origin.naive
      return origin.naive
    }
    let result = rebuilt(y, oldest: oldest, writtenForm: writtenForm)
    return hiding.isEmpty ? nil : result
  }

  /// `y` with each node for which `writtenForm` gives a formula replaced by it, and every
  /// node above a replacement copied onto the new inputs (iteratively: histories are long).
  private static func rebuilt(_ y: Node, oldest: UInt64, writtenForm: (Node) -> Node?) -> Node {
    var copies: [ObjectIdentifier: Node] = [:]
    var stack: [(node: Node, expanded: Bool)] = [(y, false)]
    while let (node, expanded) = stack.popLast() {
      let id = ObjectIdentifier(node)
      guard copies[id] == nil else { continue }
      let naive = writtenForm(node)
      let inputs = naive.map { [$0] } ?? (node.stamp < oldest ? [] : node.inputs)
      if !expanded {
        stack.append((node, true))
        stack += inputs.filter { copies[ObjectIdentifier($0)] == nil }.map { ($0, false) }
        continue
      }
      if let naive {
        copies[id] = copies[ObjectIdentifier(naive)] ?? naive
        continue
      }
      let copied = inputs.map { copies[ObjectIdentifier($0)] ?? $0 }
      copies[id] = zip(copied, inputs).allSatisfy({ $0 === $1 }) ? node
        : Node(op: node.op, inputs: copied, shape: node.shape, dtype: node.dtype, isWeak: node.isWeak, span: node.span)
    }
    return copies[ObjectIdentifier(y)] ?? y
  }

  /// For each node of `order` that is a rewritten node, its position, by each node inside
  /// its written formula: `HistoryPruning` keeps the history of a rewritten node whose
  /// written formula holds a value the program still holds.
  static func owners(in order: [Node]) -> [ObjectIdentifier: [Int]] {
    var owners: [ObjectIdentifier: [Int]] = [:]
    for (i, node) in order.enumerated() {
      guard let origin = node.rewrite else { continue }
      for inside in origin.interior { owners[ObjectIdentifier(inside), default: []].append(i) }
    }
    return owners
  }
}
