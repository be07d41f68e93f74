import CLossKernel

/// One node of an execution plan: SSA form, inputs before users.
struct PlanNode {
  /// The operation.
  var op: PlanOp
  /// Indices of the operands in the plan graph.
  var inputs: [Int]
  /// Result shape.
  let shape: [Int]
  /// Result dtype.
  let dtype: DType
  /// The live node (index into the walk) this node stands for, for primitives' attributes
  /// and error spans; nil for nodes created by rewrites.
  var source: Int?

  /// Number of elements.
  var count: Int { shape.reduce(1, *) }

  /// The literal's tensor, if this is a literal.
  var literal: Tensor? {
    if case .literal(let t) = op { return t }
    return nil
  }

  /// Whether the tile VM computes this node inside a fused kernel.
  var isFusable: Bool {
    switch op {
    case .pointwise, .cast, .expand: true
    default: false
    }
  }

  /// How a kernel over this node's input can compute it, if this is a sum or maximum
  /// over trailing axes: a full sum (`LK_SUM`) or a row output (`LK_ROWSUM`, `LK_ROWMAX`)
  /// over rows of `rowLength` elements; or a `sumExpShifted` (`LK_ROWSUMEXP`). Over leading
  /// axes: a column output (`LK_COLSUM`, `LK_COLMAX`, `LK_COLSUMEXP`) over the columns of
  /// rows of `rowLength` elements (the axes kept).
  func reduction(of input: PlanNode) -> (mode: lk_output_mode, rowLength: Int)? {
    switch op {
    case .primitive(.reduce(let op, let axes, _)) where op == .sum || op == .max:
      if let rowLength = rowLength(over: axes, of: input) {
        if count == 1 && op == .sum { return (LK_SUM, 0) }
        return (op == .sum ? LK_ROWSUM : LK_ROWMAX, rowLength)
      }
      return columnLength(over: axes, of: input).map { (op == .sum ? LK_COLSUM : LK_COLMAX, $0) }
    case .primitive(.sumExpShifted(let axes, _)):
      if let rowLength = rowLength(over: axes, of: input) { return (LK_ROWSUMEXP, rowLength) }
      return columnLength(over: axes, of: input).map { (LK_COLSUMEXP, $0) }
    default:
      return nil
    }
  }

  /// Fewest columns a column output takes: the VM folds a tile into it row segment by row
  /// segment, so shorter rows are left to the reduction primitive.
  static let minColumns = 16

  /// The elements of each row whose columns a reduction over leading `axes` of `input`
  /// combines (the product of the axes kept), if the axes lead, keep at least one axis, the
  /// rows have `minColumns` elements or more, and the axes are not empty.
  private func columnLength(over axes: [Int], of input: PlanNode) -> Int? {
    guard !axes.isEmpty, axes.count < input.shape.count, axes == Array(0..<axes.count) else { return nil }
    let columns = input.shape[axes.count...].reduce(1, *)
    return columns >= Self.minColumns && count > 0 && axes.allSatisfy({ input.shape[$0] > 0 }) ? columns : nil
  }

  /// The elements a reduction over `axes` of `input` combines into each of its values, if
  /// the axes are trailing and neither they nor this node are empty.
  private func rowLength(over axes: [Int], of input: PlanNode) -> Int? {
    guard !axes.isEmpty, axes == Array((input.shape.count - axes.count)..<input.shape.count) else { return nil }
    let rowLength = axes.reduce(1) { $0 * input.shape[$1] }
    return rowLength > 0 && count > 0 ? rowLength : nil
  }
}
