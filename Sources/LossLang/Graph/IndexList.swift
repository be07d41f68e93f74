/// Flat element indices shared between a gather and its transpose without copying.
///
/// Every kind of indexing (integers, slices, `...`, integer tensors) is lowered to one
/// list of source positions, so one primitive pair (gather / scatter-add) covers them
/// all and their gradients.
final class IndexList: Sendable {
  /// The flat C-order positions.
  let values: [Int]

  init(_ values: [Int]) { self.values = values }

  /// The positions selected by one arithmetic range per axis (a rectangular slice).
  static func strided(shape: [Int], _ ranges: [StrideRange]) throws -> IndexList {
    let total = try Tensor.elementCount(ranges.map(\.count))
    var strides = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
    var out = [Int](repeating: 0, count: total)
    guard total > 0 else { return IndexList(out) }
    var counter = [Int](repeating: 0, count: ranges.count)
    var base = zip(ranges, strides).reduce(0) { $0 + $1.0.start * $1.1 }
    for i in 0..<total {
      out[i] = base
      var axis = ranges.count - 1
      while axis >= 0 {
        counter[axis] += 1
        base += ranges[axis].step * strides[axis]
        if counter[axis] < ranges[axis].count { break }
        base -= ranges[axis].step * strides[axis] * counter[axis]
        counter[axis] = 0
        axis -= 1
      }
    }
    return IndexList(out)
  }
}

/// `count` positions `start, start+step, …` along one axis.
struct StrideRange: Sendable {
  let start: Int
  let count: Int
  let step: Int
}
