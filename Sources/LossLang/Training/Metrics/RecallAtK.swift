/// Recall@K of embeddings: the share of samples (queries) among whose `k` nearest other
/// samples, by Euclidean distance, is one with the query's label. The query itself is never
/// its own neighbour. Ties in distance go to the sample of lower index (it counts as nearer),
/// so the result is deterministic.
enum RecallAtK {
  /// Recall@`k` of `embeddings` (samples, features), finite, with one label per sample;
  /// `k` in 1…samples − 1.
  static func compute(embeddings: Tensor, labels: Tensor, k: Int) throws(MetricArgumentError) -> Double {
    guard embeddings.shape.count == 2 else {
      throw MetricArgumentError("embeddings", "must be 2-D (samples, features), got shape \(embeddings.shape)")
    }
    let (samples, features) = (embeddings.shape[0], embeddings.shape[1])
    guard labels.shape == [samples] else {
      throw .shape("labels", labels, expected: [samples], because: "one label per row of embeddings")
    }
    guard k >= 1, k < samples else {
      throw MetricArgumentError("k", "must be at least 1 and less than the number of samples (\(samples)), got \(k)")
    }
    let points = embeddings.scalars
    try MetricArgumentError.requireFinite("embeddings", points)
    let space = Points(values: points, rows: samples, features: features)
    let y = labels.scalars
    let hits = (0..<samples).filter { isHit(query: $0, labels: y, space: space, k: k) }.count
    return Double(hits) / Double(samples)
  }

  /// Whether one of the query's `k` nearest others shares its label: whether fewer than `k`
  /// others come before the nearest one with that label.
  private static func isHit(query: Int, labels: [Double], space: Points, k: Int) -> Bool {
    let distances = space.squaredDistances(from: query)
    var nearestSame: Int?
    for j in distances.indices where j != query && labels[j] == labels[query] {
      if nearestSame.map({ distances[j] < distances[$0] }) ?? true { nearestSame = j }
    }
    guard let same = nearestSame else { return false }
    var before = 0
    for j in distances.indices where j != query {
      if distances[j] < distances[same] || (distances[j] == distances[same] && j < same) { before += 1 }
    }
    return before < k
  }

  /// Rows of a (samples, features) matrix.
  private struct Points {
    let values: [Double]
    let rows: Int
    let features: Int

    /// The squared Euclidean distance from row `i` to every row (the same order as the distance).
    func squaredDistances(from i: Int) -> [Double] {
      values.withUnsafeBufferPointer { v in
        (0..<rows).map { j in
          var sum = 0.0
          for f in 0..<features {
            let d = v[i * features + f] - v[j * features + f]
            sum += d * d
          }
          return sum
        }
      }
    }
  }
}
