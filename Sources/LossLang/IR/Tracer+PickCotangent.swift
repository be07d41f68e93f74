/// The gradient of a pick, a gather of one element along one axis for every position of the
/// others (`x[arange(n), t]`, torch.gather with the index kept): a one-hot mask along that
/// axis selecting the cotangent. Unlike a scatter into zeros, it fuses with the rest of a
/// gradient into one pass (cross_entropy's gradient is one kernel over the logits).
extension Tracer {
  /// The cotangent of a tensor of `shape` that `indices` picks from, `where(arange(C) ==
  /// picked, g, 0)` along the axis picked along; nil when the gather is not a pick or the
  /// axis is longer than `g`'s dtype counts exactly (the scatter-add then).
  func pickCotangent(_ g: Node, _ indices: IndexList, shape: [Int]) throws -> Node? {
    let exact = g.dtype == .float64 ? 1 << 53 : 1 << 24
    for axis in shape.indices.reversed() where shape[axis] > 1 && shape[axis] <= exact {
      guard shape[axis] * indices.values.count == shape.reduce(1, *),
        let picked = Self.picks(indices.values, of: shape, along: axis)
      else { continue }
      var kept = shape
      kept[axis] = 1
      let trailing = [Int](repeating: 1, count: shape.count - axis - 1)
      let classes = constant(try Tensor((0..<shape[axis]).map(Double.init), shape: [shape[axis]] + trailing, dtype: g.dtype))
      let mask = try compare(.equal, classes, constant(try Tensor(picked.map(Double.init), shape: kept, dtype: g.dtype)))
      return try select(mask, reshape(g, kept), scalar(0, g.dtype))
    }
    return nil
  }

  /// The coordinate along `axis` of each of `positions` (flat, C order, in a tensor of
  /// `shape`) when position i is the i-th position of the other axes in C order with that
  /// coordinate set; nil when one is not.
  static func picks(_ positions: [Int], of shape: [Int], along axis: Int) -> [Int]? {
    // Position i is (outer o, inner n) of the other axes: o * extent * inner + n, plus the
    // picked coordinate times inner.
    let extent = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
    var picked = [Int](repeating: 0, count: positions.count)
    var i = 0, base = 0
    while i < positions.count {
      for n in 0..<inner {
        let offset = positions[i] - base - n
        guard offset >= 0, inner == 1 || offset % inner == 0 else { return nil }
        let c = inner == 1 ? offset : offset / inner
        guard c < extent else { return nil }
        picked[i] = c
        i += 1
      }
      base += extent * inner
    }
    return picked
  }
}
