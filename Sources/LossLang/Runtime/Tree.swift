/// Trees, like JAX's pytrees: a tensor, or a list or dict of trees. Parameters, gradients
/// and optimizer states are trees; `grad`, `value_and_grad` and `detach` map over them.
extension Evaluator {
  /// The tensor leaves of `tree` in order (lists in order, dicts in insertion order).
  ///
  /// A tensor written as a list literal of bound tensors (`[w, b]`) counts as the list of
  /// those tensors. Anything else that is not a tensor is an error naming its position,
  /// given to `error` as text such as `["layers"][1]`.
  func treeLeaves(_ tree: RuntimeValue, error: (String) -> LossLangError) throws -> [Node] {
    try positionedTreeLeaves(tree, error: error).map(\.node)
  }

  /// ``treeLeaves(_:error:)`` with each leaf's position in the tree as text
  /// (`["layers"][1]["weight"]`; empty for a tree that is one tensor).
  func positionedTreeLeaves(
    _ tree: RuntimeValue, error: (String) -> LossLangError
  ) throws -> [(node: Node, position: String)] {
    try checkWalkable(tree)
    var leaves: [(node: Node, position: String)] = []
    func visit(_ v: RuntimeValue, _ path: String) throws {
      switch v {
      case .tensor(let n):
        if let items = Self.treeItems(n) {
          leaves += items.enumerated().map { ($1, path + "[\($0)]") }
        } else {
          leaves.append((n, path))
        }
      case .list(let items):
        for (i, item) in items.enumerated() { try visit(item, path + "[\(i)]") }
      case .dict(let d):
        for (key, item) in d.pairs { try visit(item, path + "[\(ASTPrinter.quote(key))]") }
      default:
        let position = path.isEmpty ? "" : " at \(path)"
        throw error("must be a tensor or a list or dict of tensors, got \(v.typeName)\(position)")
      }
    }
    try visit(tree, "")
    return leaves
  }

  /// `tree` with its leaves replaced, in order, by `leaves` (as many as `treeLeaves` gave).
  func replacingLeaves(of tree: RuntimeValue, with leaves: [Node]) -> RuntimeValue {
    var next = leaves.makeIterator()
    func rebuild(_ v: RuntimeValue) -> RuntimeValue {
      switch v {
      case .tensor(let n):
        if let items = Self.treeItems(n) { return .list(items.compactMap { _ in next.next().map { .tensor($0) } }) }
        return next.next().map { .tensor($0) } ?? v
      case .list(let items): return .list(items.map(rebuild))
      case .dict(let d): return .dict(d.mapValues(rebuild))
      default: return v
      }
    }
    return rebuild(tree)
  }

  /// The items of a list literal of names (`[w, b]`), which a tree treats as a list; nil
  /// for any other tensor (a literal holding numbers, `[0.5, -0.25 * 2]`, is one tensor).
  private static func treeItems(_ n: Node) -> [Node]? {
    guard let items = n.literalItems, !items.isEmpty else { return nil }
    return items
  }
}
