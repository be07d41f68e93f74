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
    let counts = ranges.map(\.count)
    let total = try Tensor.elementCount(counts)
    let strides = Broadcast.contiguousStrides(shape)
    var out = [Int](repeating: 0, count: total)
    var counter = [Int](repeating: 0, count: ranges.count)
    for i in 0..<total {
      for (axis, r) in ranges.enumerated() { out[i] += (r.start + r.step * counter[axis]) * strides[axis] }
      MultiIndex.advance(&counter, within: counts)
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
