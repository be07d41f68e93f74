/// What a rewritten node replaced: the formula as written, kept so that a gradient with
/// respect to a value inside it (`p` in `log(p)` with `p = sigmoid(z)`) follows the written
/// form, and the rewrite that was applied.
final class RewriteOrigin {
  /// The formula that was recognized.
  let rewrite: StableRewrite
  /// The written formula's last node (never evaluated unless a gradient needs it).
  let naive: Node
  /// The values the stable form reads: the written formula's inside ends at them.
  let operands: [Node]

  init(_ rewrite: StableRewrite, naive: Node, operands: [Node]) {
    self.rewrite = rewrite
    self.naive = naive
    self.operands = operands
  }

  /// The nodes of the written formula between its result and `operands`, including those
  /// inside rewrites nested in it (the written form's own values, such as `sigmoid(z)`).
  var interior: [Node] {
    var seen = NodeIndex()
    for operand in operands { seen.set(operand, 0) }
    var pending = naive.inputs
    var found: [Node] = []
    while let node = pending.popLast() {
      guard !seen.contains(node) else { continue }
      seen.set(node, 0)
      found.append(node)
      pending.append(contentsOf: node.inputs)
      if let nested = node.rewrite { pending.append(nested.naive) }
    }
    return found
  }
}
