/// Whether two traced nodes compute the same value because they compute the same formula.
extension Node {
  /// The most node pairs ``computesSame(as:)`` compares before answering no.
  static let sameFormulaLimit = 64

  /// Whether `self` and `other` compute the same formula on the same values: the same node,
  /// or the same op with the same attributes, shape and dtype over operands that do — so a
  /// subexpression written twice (`exp(a*b) / sum(exp(a*b))`) matches itself. Leaves match
  /// by identity, except literal numbers, which match by value; gathers, scatters and custom
  /// ops (whose attributes live outside the op) only by identity.
  func computesSame(as other: Node) -> Bool {
    var pending = [(self, other)]
    var compared = 0
    while let (a, b) = pending.popLast() {
      if a === b { continue }
      compared += 1
      guard compared <= Self.sameFormulaLimit, a.shape == b.shape, a.dtype == b.dtype else { return false }
      if a.inputs.isEmpty || b.inputs.isEmpty {
        guard a.isLiteralNumber, b.isLiteralNumber, let x = a.value, let y = b.value, x[flat: 0] == y[flat: 0]
        else { return false }
        continue
      }
      guard a.inputs.count == b.inputs.count, a.op.comparesByAttributes, Self.sameAttributes(a.op, b.op)
      else { return false }
      pending += zip(a.inputs, b.inputs)
    }
    return true
  }

  /// Whether this is a one-element constant written as a number (unbound, not an input).
  private var isLiteralNumber: Bool {
    op.isConstant && !isBound && !isPlaceholder && value?.count == 1
  }

  /// Whether two ops are the same kind with the same attributes.
  private static func sameAttributes(_ a: Op, _ b: Op) -> Bool {
    var x: [Int] = []
    var y: [Int] = []
    LiveGraph.encode(a, into: &x)
    LiveGraph.encode(b, into: &y)
    return x == y
  }
}

extension Op {
  /// Whether `LiveGraph.encode` captures all of the op's attributes (gathers, scatters and
  /// custom ops keep theirs outside it).
  fileprivate var comparesByAttributes: Bool {
    switch self {
    case .gather, .scatterAdd, .custom: false
    default: true
    }
  }
}
