/// Counting builtins: `bincount histc`. Their results are counts, constants without a
/// gradient (PyTorch defines none either).
extension Builtins {
  static func registerCounting(in r: Registry) {
    r.builtin("bincount", ["x", "minlength=0"], category: "counting",
              doc: "bincount(x, minlength=0): how often each whole number 0, 1, … occurs in the 1-D tensor x of non-negative whole numbers; float32 counts of length max(max(x) + 1, minlength). No gradient.") { a in
      let x = try a.tensor(0)
      guard x.shape.count == 1 else { throw a.error(0, "must be 1-D, got shape \(x.shape)") }
      let minLength = try a.int(1)
      guard minLength >= 0 else { throw a.error(1, "must be non-negative, got \(minLength)") }
      let values = try a.evaluator.materialize(x).scalars
      if let bad = values.first(where: { !($0 >= 0 && $0.rounded() == $0 && $0 < 9e15) }) {
        throw a.error(0, "must hold non-negative whole numbers, got \(bad)")
      }
      let length = max(Int(values.max() ?? -1) + 1, minLength)
      try a.tracer.checkSize([length], .float64)
      var counts = [Double](repeating: 0, count: length)
      for v in values { counts[Int(v)] += 1 }
      return .tensor(a.tracer.constant(try Tensor(counts, shape: [length], dtype: .float32)))
    }
    r.builtin("histc", ["x", "bins=100", "min=0", "max=0"], category: "counting",
              doc: "histc(x, bins=100, min=0, max=0): counts of x's elements in bins equal-width bins over [min, max] (torch.histc): min = max means the data's range; elements outside are ignored; the last bin includes max. float64 counts for a float64 x, else float32; no gradient.") { a in
      let x = try a.tensor(0)
      let bins = try a.int(1)
      guard bins >= 1 else { throw a.error(1, "must be at least 1, got \(bins)") }
      try a.tracer.checkSize([bins], .float64)
      let values = try a.evaluator.materialize(x).scalars
      let (low, high) = try histogramRange(values, min: a.double(2), max: a.double(3))
      let dtype: DType = x.dtype == .float64 ? .float64 : .float32
      let counts = histogram(values, bins: bins, low: low, high: high, float32: dtype == .float32)
      return .tensor(a.tracer.constant(try Tensor(counts, shape: [bins], dtype: dtype)))
    }
  }

  /// torch.histc's range: [min, max], the data's range when min == max, widened by 1 on
  /// each side when it is a single point.
  private static func histogramRange(_ values: [Double], min: Double, max: Double) throws -> (Double, Double) {
    var (low, high) = (min, max)
    if low == high, !values.isEmpty {
      low = values.contains { $0.isNaN } ? .nan : values.min() ?? low
      high = values.contains { $0.isNaN } ? .nan : values.max() ?? high
    }
    if low == high { (low, high) = (low - 1, high + 1) }
    guard low.isFinite, high.isFinite else {
      throw LossLangError(.runtime, "histc: range of [\(low), \(high)] is not finite")
    }
    guard low < high else { throw LossLangError(.runtime, "histc: max must be larger than min") }
    return (low, high)
  }

  /// Counts per bin as torch.histc computes them: bin `⌊(v − low)·bins / (high − low)⌋`
  /// in the input's precision, values outside [low, high] (and NaN) skipped, `high` in the
  /// last bin, nothing counted where the computation overflows (as in torch).
  private static func histogram(_ values: [Double], bins: Int, low: Double, high: Double, float32: Bool) -> [Double] {
    var counts = [Double](repeating: 0, count: bins)
    let (lowF, highF) = (Float(low), Float(high))
    // torch takes the outer edges from linspace(low, high, bins + 1), whose step is infinite
    // when the range's width overflows the dtype; the edges are then NaN and nothing counts.
    guard (float32 ? Double(highF - lowF) : high - low).isFinite else { return counts }
    for v in values {
      let quotient: Double
      if float32 {
        let f = Float(v)
        guard f >= lowF, f <= highF else { continue }
        quotient = Double((f - lowF) * Float(bins) / (highF - lowF))
      } else {
        guard v >= low, v <= high else { continue }
        quotient = (v - low) * Double(bins) / (high - low)
      }
      // The quotient lies in [0, bins] (the last bin is closed), unless (v − low)·bins
      // overflows, where torch's conversion is undefined: such an element is skipped.
      guard quotient.isFinite else { continue }
      counts[Int(Swift.min(Swift.max(quotient, 0), Double(bins - 1)))] += 1
    }
    return counts
  }
}
