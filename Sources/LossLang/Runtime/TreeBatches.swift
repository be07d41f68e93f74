/// A data tree (a tensor, or a list or dict of tensors such as `[x, y]`) cut into
/// mini-batches along axis 0: every tensor of a batch takes the same rows. `batches`
/// returns them; `fit` draws one epoch of them at a time.
struct TreeBatches {
  /// The tree as given.
  let tree: RuntimeValue
  /// Its tensor leaves, in order.
  let leaves: [Node]
  /// The length of every leaf along axis 0.
  let rows: Int

  /// Checks that `tree` holds tensors of rank ≥ 1 that all have the same length along
  /// axis 0; `error` makes the argument's error from a message.
  init(_ tree: RuntimeValue, evaluator: Evaluator, error: (String) -> LossLangError) throws {
    let positioned = try evaluator.positionedTreeLeaves(tree, error: error)
    guard let first = positioned.first else { throw error("must hold at least one tensor, got an empty \(tree.typeName)") }
    if let scalar = positioned.first(where: { $0.node.shape.isEmpty }) {
      throw error("must hold tensors with a first axis to batch along, got a 0-d tensor\(Self.at(scalar.position))")
    }
    let rows = first.node.shape[0]
    if let other = positioned.first(where: { $0.node.shape[0] != rows }) {
      throw error(
        "must hold tensors of the same length along axis 0, but \(first.position) has \(rows) rows "
          + "and \(other.position) has \(other.node.shape[0])")
    }
    self.tree = tree
    self.leaves = positioned.map(\.node)
    self.rows = rows
  }

  /// The batch size given as argument `i`: a whole number of at least 1.
  static func batchSize(_ a: Arguments, _ i: Int) throws -> Int {
    let size = try a.int(i)
    guard size >= 1 else { throw a.error(i, "must be at least 1, got \(size)") }
    return size
  }

  /// The batches of one epoch: `plan` cut over `order`, each a tree of the same structure
  /// whose tensors are gathered (differentiably) from the leaves' rows.
  func epoch(_ plan: BatchPlan, order: [Int], evaluator: Evaluator) -> [RuntimeValue] {
    let tracer = evaluator.tracer
    return plan.batches(of: order).map { batchRows in
      let slices = leaves.map { leaf -> Node in
        let rowSize = leaf.shape.dropFirst().reduce(1, *)
        let positions = batchRows.flatMap { r in r * rowSize..<(r + 1) * rowSize }
        return tracer.gather(leaf, IndexList(positions), shape: [batchRows.count] + leaf.shape.dropFirst())
      }
      return evaluator.replacingLeaves(of: tree, with: slices)
    }
  }

  /// ` at POSITION`, or nothing for a lone tensor.
  private static func at(_ position: String) -> String { position.isEmpty ? "" : " at \(position)" }
}
