/// The bins and counts of a histogram, as `numpy.histogram(values, bins)` (which
/// matplotlib's `hist` calls): `bins` equal-width bins over the finite values' range, each
/// half-open `[edge, next edge)` except the last, which includes its right edge. Equal
/// values get the range `value - 0.5 … value + 0.5`, as numpy.
struct Histogram: Sendable, Equatable {
  /// The `bins + 1` bin edges, increasing.
  let edges: [Double]
  /// How many values fall in each bin.
  let counts: [Double]

  /// The histogram of the finite `values` (NaN and infinities are left out) in `bins` bins,
  /// or nil when no value is finite. `bins` must be positive (the caller checks).
  init?(_ values: [Double], bins: Int) {
    let finite = values.filter(\.isFinite)
    guard var low = finite.min(), var high = finite.max(), bins > 0 else { return nil }
    if low == high { (low, high) = (low - 0.5, high + 0.5) }
    let edges = (0...bins).map { low + (high - low) * Double($0) / Double(bins) }
    var counts = [Double](repeating: 0, count: bins)
    for value in finite { counts[Self.bin(of: value, edges: edges)] += 1 }
    self.edges = edges
    self.counts = counts
  }

  /// The bin `value` (inside the edges' range) falls in: numpy's scaled index, corrected
  /// against the edges themselves where rounding put it one bin off.
  private static func bin(of value: Double, edges: [Double]) -> Int {
    let bins = edges.count - 1
    let (low, high) = (edges[0], edges[bins])
    var index = Swift.min(bins - 1, Int((value - low) / (high - low) * Double(bins)))
    if index > 0, value < edges[index] { index -= 1 }
    if index < bins - 1, value >= edges[index + 1] { index += 1 }
    return index
  }
}
