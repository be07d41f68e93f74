/// How much history the values each loop carries keep from one settlement to the next
/// (`--lint`): a history that grows three settlements in a row means something still holds
/// an earlier value, so the loop costs more time and memory every step.
struct LoopGrowth {
  /// What one loop showed at its last settlement.
  private struct Record {
    /// The loop statement.
    let span: SourceSpan
    /// Recorded operations its carried values still reached.
    var size: Int
    /// Settlements in a row at which that grew.
    var rising: Int
  }

  /// Settlements in a row with a growing history before it is reported.
  static let risesReported = 3
  /// The most nodes one measurement walks.
  static let walkBudget = 4_096

  /// The loops seen, by the start of their statement in its source text.
  private var records: [SourcePlace: Record] = [:]

  /// Records a settlement of the loop at `span` whose carried values still reach `history`
  /// (from ``history(below:)``); whether its history has now grown ``risesReported`` times
  /// in a row. A history longer than the walk counts as grown.
  mutating func settled(_ span: SourceSpan, history: (operations: [Node], truncated: Bool)) -> Bool {
    let size = history.operations.count
    let place = SourcePlace(span)
    var record = records[place] ?? Record(span: span, size: 0, rising: 0)
    record.rising = size > record.size || history.truncated ? record.rising + 1 : 0
    record.size = size
    records[place] = record
    return record.rising >= Self.risesReported
  }

  /// The recorded operations (nodes with inputs) below `roots`, and whether there are more
  /// than the ``walkBudget`` visited.
  static func history(below roots: [Node]) -> (operations: [Node], truncated: Bool) {
    var visited = 0
    let order = Node.topologicalOrder(from: roots) { _ in
      visited += 1
      return visited > walkBudget
    }
    return (order.filter { !$0.inputs.isEmpty }, visited > walkBudget)
  }
}
