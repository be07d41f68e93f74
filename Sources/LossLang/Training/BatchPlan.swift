/// How the rows of a data set split into mini-batches: an order of the rows (shuffled or
/// not) cut into consecutive batches of `batchSize`, so every row is in exactly one batch
/// of an epoch; the last batch is shorter unless `dropLast` leaves it out.
struct BatchPlan: Sendable {
  /// The number of rows (the length of every tensor along axis 0).
  let rows: Int
  /// The rows per batch (at least 1).
  let batchSize: Int
  /// Whether a short final batch is dropped.
  let dropLast: Bool

  /// The number of batches in one epoch.
  var count: Int { dropLast ? rows / batchSize : (rows + batchSize - 1) / batchSize }

  /// The rows of each batch of one epoch: `order` (a permutation of `0..<rows`) cut in turn.
  func batches(of order: [Int]) -> [ArraySlice<Int>] {
    (0..<count).map { k in order[k * batchSize..<min((k + 1) * batchSize, rows)] }
  }

  /// The row order of one epoch: a permutation drawn from `generator` when shuffling,
  /// else `0..<rows` (drawing nothing).
  func order(shuffled: Bool, _ generator: inout RandomGenerator) -> [Int] {
    shuffled ? generator.permutation(rows) : Array(0..<rows)
  }
}
