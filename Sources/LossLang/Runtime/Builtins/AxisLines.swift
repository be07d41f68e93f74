/// The 1-D lines of a C-order tensor along one axis, as flat positions.
///
/// Sorting, scans and their gradients walk a tensor line by line: line `k` holds the
/// elements whose coordinates agree everywhere except on the axis.
struct AxisLines: Sendable {
  /// Elements per line (the size of the axis).
  let length: Int
  /// The distance between consecutive elements of a line (the product of the later sizes).
  let stride: Int
  /// The number of lines.
  let count: Int

  /// The lines of a tensor of `shape` along `axis`; a 0-d tensor is one line of one element.
  init(shape: [Int], axis: Int) {
    guard !shape.isEmpty else {
      (length, stride, count) = (1, 1, 1)
      return
    }
    length = shape[axis]
    stride = shape[(axis + 1)...].reduce(1, *)
    count = shape[..<axis].reduce(1, *) * stride
  }

  /// The flat position of element `i` of line `k`.
  @inline(__always)
  func position(_ k: Int, _ i: Int) -> Int {
    (k / stride) * length * stride + k % stride + i * stride
  }

  /// The running `combine` of `values` along each line, in float64, starting from `initial`
  /// at each line's first element (or its last, `reversed`): `cumsum`, `cumprod`.
  func scan(_ values: [Double], initial: Double, reversed: Bool = false, _ combine: (Double, Double) -> Double) -> [Double] {
    var out = [Double](repeating: 0, count: values.count)
    for line in 0..<count {
      var running = initial
      for step in 0..<length {
        let p = position(line, reversed ? length - 1 - step : step)
        running = combine(running, values[p])
        out[p] = running
      }
    }
    return out
  }
}
