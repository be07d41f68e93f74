/// NumPy broadcasting rules for shapes, and the strides that realize them without copying.
enum Broadcast {
  /// NumPy broadcast of two shapes; throws TensorError("shapes [2, 3] and [4] cannot be broadcast").
  static func shape(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for axis in 0..<rank {
      let da = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
      let db = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
      if da == db || db == 1 {
        out[axis] = da
      } else if da == 1 {
        out[axis] = db
      } else {
        throw TensorError("shapes \(a) and \(b) cannot be broadcast")
      }
    }
    return out
  }

  /// The C-order element strides of a contiguous tensor of this shape.
  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
      strides[axis] = step
      step *= max(shape[axis], 1)
    }
    return strides
  }

  /// Element strides viewing a contiguous tensor of `shape` over the broadcast shape `target`:
  /// 0 on new leading axes and on size-1 axes that are stretched.
  ///
  /// The caller has checked that `shape` broadcasts to `target`.
  static func strides(of shape: [Int], over target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let lead = target.count - shape.count
    return target.indices.map { axis in
      guard axis >= lead else { return 0 }
      let source = axis - lead
      return shape[source] == 1 && target[axis] != 1 ? 0 : own[source]
    }
  }
}
