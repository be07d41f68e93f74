/// Reads the flat positions of a gather back as NumPy indexing when they form a rectangular
/// slice: `x[0]`, `x[:, 1:]`, `x[..., 2]` rather than a list of positions.
enum SliceReading {
  /// The index text (`0, 1:3`) and the shape it gives, when `positions` (flat, C order, in
  /// `shape`) select one ascending arithmetic range per axis; nil otherwise.
  static func index(of positions: [Int], in shape: [Int]) -> (text: String, shape: [Int])? {
    guard let ranges = ranges(of: positions, in: shape) else { return nil }
    var parts = zip(ranges, shape).map { range, size in text(range, size) }
    while parts.last == ":" { parts.removeLast() }
    let kept = ranges.filter { $0.count > 1 }.map(\.count)
    return (parts.joined(separator: ", "), kept)
  }

  /// One ascending arithmetic range per axis of `shape` whose C-order enumeration is
  /// exactly `positions`, or nil.
  static func ranges(of positions: [Int], in shape: [Int]) -> [StrideRange]? {
    guard !positions.isEmpty, !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { return nil }
    let strides = Broadcast.contiguousStrides(shape)
    var ranges: [StrideRange] = []
    for (axis, stride) in strides.enumerated() {
      let coordinates = Set(positions.map { $0 / stride % shape[axis] }).sorted()
      let step = coordinates.count > 1 ? coordinates[1] - coordinates[0] : 1
      for (i, c) in coordinates.enumerated() where c != coordinates[0] + i * step { return nil }
      ranges.append(StrideRange(start: coordinates[0], count: coordinates.count, step: step))
    }
    guard (try? IndexList.strided(shape: shape, ranges))?.values == positions else { return nil }
    return ranges
  }

  /// One axis: `i` for a single position (the axis goes), `:`, `a:b` or `a:b:s`.
  private static func text(_ range: StrideRange, _ size: Int) -> String {
    if range.count == 1 { return "\(range.start)" }
    let stop = range.start + (range.count - 1) * range.step + 1
    let start = range.start == 0 ? "" : "\(range.start)"
    let end = stop == size ? "" : "\(stop)"
    return start + ":" + end + (range.step == 1 ? "" : ":\(range.step)")
  }
}
