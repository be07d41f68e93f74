/// Walking the multi-indices of a shape in C order, as odometers do.
enum MultiIndex {
  /// Advances `index` to the next position of `shape` in C order (the last axis fastest);
  /// after the last position it wraps to all zeros.
  static func advance(_ index: inout [Int], within shape: [Int]) {
    var axis = shape.count - 1
    while axis >= 0 {
      index[axis] += 1
      if index[axis] < shape[axis] { return }
      index[axis] = 0
      axis -= 1
    }
  }

  /// The multi-index of the C-order flat position `flat` in `shape` (zero along an empty axis).
  static func of(_ flat: Int, in shape: [Int]) -> [Int] {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() where shape[axis] > 0 {
      index[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return index
  }
}
