import Foundation

/// Where an axis puts its major ticks, as matplotlib's default locators do.
///
/// `linear` is `MaxNLocator` as `AutoLocator` configures it (steps 1, 2, 2.5, 5, 10; no
/// integer, symmetric or prune options; at least two ticks inside the range), with `nbins`
/// chosen by the caller: at most `nbins + 1` ticks inside the range, plus the tick just
/// outside each end when the range does not end on one (the renderer keeps the visible ones).
/// `log` is `LogLocator(base=10)` with its default `subs=(1.0,)`: ticks at whole decades
/// only, every `stride`-th decade when there are more than `numticks`. matplotlib's minor
/// ticks (`subs` between decades) are not produced, so a range within one decade gets the
/// decades on either side only.
enum TickLocator {
  /// `MaxNLocator`'s acceptable step multiples between 1 and 10 (AutoLocator's choice).
  static let steps: [Double] = [1, 2, 2.5, 5, 10]

  /// The steps scaled a decade down and the next one up, as `MaxNLocator._staircase`.
  private static let staircase: [Double] = steps.dropLast().map { 0.1 * $0 } + steps + [10 * steps[1]]

  /// `MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax)`: evenly
  /// spaced round tick values covering `vmin…vmax` (either order; equal ends are widened
  /// first, as matplotlib's `nonsingular`). `nbins` is clamped to 1…`maxBins`. A range
  /// whose span overflows (ends near ±1.8e308) gets no ticks.
  static func linear(_ vmin: Double, _ vmax: Double, nbins: Int) -> [Double] {
    let (low, high) = AxisLimits.nonsingular(vmin, vmax, expander: 1e-13, tiny: 1e-14)
    return rawTicks(low, high, nbins: Double(Swift.min(Swift.max(1, nbins), maxBins)))
  }

  /// The most bins `linear` spaces ticks for (matplotlib warns beyond 1000 ticks).
  static let maxBins = 1000

  /// `MaxNLocator._raw_ticks`: the largest step of the staircase not below the range over
  /// `nbins`, taken back to smaller steps until at least two ticks fall inside the range.
  private static func rawTicks(_ vmin: Double, _ vmax: Double, nbins: Double) -> [Double] {
    let (scale, offset) = scaleRange(vmin, vmax, n: nbins)
    let (low, high) = (vmin - offset, vmax - offset)
    let scaled = staircase.map { $0 * scale }
    let rawStep = (high - low) / nbins
    let largest = scaled.firstIndex { $0 >= rawStep } ?? scaled.count - 1
    var ticks: [Double] = []
    for step in scaled[...largest].reversed() {
      let best = floorDivide(low, step) * step
      let edge = EdgeInteger(step: step, offset: offset)
      let first = edge.le(low - best), last = edge.ge(high - best)
      ticks = []
      var k = first
      while k <= last {
        ticks.append(k * step + best)
        k += 1
      }
      if ticks.filter({ $0 <= high && $0 >= low }).count >= 2 { break }
    }
    return ticks.map { $0 + offset }
  }

  /// matplotlib's `scale_range(vmin, vmax, n)`: the power of ten just below the range over
  /// `n`, and an offset (a power of ten with the sign of the range's middle) when the range
  /// is narrow (less than 1/100) compared with its distance from zero.
  private static func scaleRange(_ vmin: Double, _ vmax: Double, n: Double) -> (scale: Double, offset: Double) {
    let span = Swift.abs(vmax - vmin)
    let middle = (vmax + vmin) / 2
    let offset = Swift.abs(middle) / span < 100 ? 0 : copysign(pow(10, floor(log10(Swift.abs(middle)))), middle)
    return (pow(10, floor(log10(span / n))), offset)
  }

  /// `LogLocator().tick_values(vmin, vmax)` (base 10, `subs=(1.0,)`, `numticks` ticks at
  /// most; matplotlib uses 9 without an axis): powers of ten covering the range, one more
  /// stride beyond each end. Empty unless both ends are positive and finite (a log axis
  /// cannot show other values; the figure model rejects them first).
  static func log(_ vmin: Double, _ vmax: Double, numticks: Int = 9) -> [Double] {
    guard vmin > 0, vmax > 0, vmin.isFinite, vmax.isFinite else { return [] }
    let (efmin, efmax) = (log10(Swift.min(vmin, vmax)), log10(Swift.max(vmin, vmax)))
    let (emin, emax) = (Int(ceil(efmin)), Int(floor(efmax)))
    return logDecades(efmin: efmin, efmax: efmax, emin: emin, emax: emax, request: Swift.max(numticks, 1))
      .map { pow(10, Double($0)) }
  }

  /// The decade exponents `LogLocator.tick_values` picks (its non-classic branch): the
  /// largest stride that shows no more than `request` decades in `emin…emax`, an offset that
  /// puts them on multiples of the stride where it can, and one more stride at each end.
  private static func logDecades(efmin: Double, efmax: Double, emin: Int, emax: Int, request: Int) -> [Int] {
    let available = emax - emin + 1
    var stride = available / (request + 1) + 1
    let count = Swift.min(request, (available + stride - 1) / stride)
    switch count {
    case 0:
      return [emin - 1, emax + 1]
    case 1:
      let middle = Int(((efmin + efmax) / 2).rounded(.toNearestOrEven))
      stride = Swift.max(middle - (emin - 1), (emax + 1) - middle)
      return [middle - stride, middle, middle + stride]
    default:
      stride = (available - 1) / (count - 1)
      if Double(stride) < Double(available) / Double(count) { stride = available / count }
      let lowOffset = Swift.max(available - stride * count, 0)
      let highOffset = Swift.min(available - stride * (count - 1), stride)
      var offset = ((-emin % stride) + stride) % stride
      if !(lowOffset <= offset && offset < highOffset) { offset = lowOffset }
      return Array(Swift.stride(from: emin + offset - stride, through: emax + stride, by: stride))
    }
  }

  /// Python's float floor division `x // y` (the quotient of `divmod`, as numpy's too).
  static func floorDivide(_ x: Double, _ y: Double) -> Double {
    pythonDivmod(x, y).quotient
  }

  /// Python's float `divmod(x, y)`: the floored quotient and the remainder with the sign of
  /// `y`, computed from `fmod` exactly as CPython does (so ties and rounding agree).
  static func pythonDivmod(_ x: Double, _ y: Double) -> (quotient: Double, remainder: Double) {
    var remainder = x.truncatingRemainder(dividingBy: y)
    var quotient = (x - remainder) / y
    if remainder != 0 {
      if (y < 0) != (remainder < 0) {
        remainder += y
        quotient -= 1
      }
    } else {
      remainder = copysign(0, y)
    }
    if quotient != 0 {
      var floored = floor(quotient)
      if quotient - floored > 0.5 { floored += 1 }
      return (floored, remainder)
    }
    return (copysign(0, x / y), remainder)
  }
}

/// matplotlib's `ticker._Edge_integer`: the multiples of a tick step at the ends of a range,
/// allowing for rounding (more of it when the locator works relative to a large offset).
private struct EdgeInteger {
  let step: Double
  /// How close a fraction of a step must be to count as a whole step.
  let tolerance: Double

  init(step: Double, offset: Double) {
    self.step = step
    if offset != 0 {
      let digits = log10(Swift.abs(offset) / step)
      tolerance = Swift.min(0.4999, Swift.max(1e-10, pow(10, digits - 12)))
    } else {
      tolerance = 1e-10
    }
  }

  /// The largest n with n·step <= x (up to the tolerance).
  func le(_ x: Double) -> Double {
    let (d, m) = TickLocator.pythonDivmod(x, step)
    return Swift.abs(m / step - 1) < tolerance ? d + 1 : d
  }

  /// The smallest n with n·step >= x (up to the tolerance).
  func ge(_ x: Double) -> Double {
    let (d, m) = TickLocator.pythonDivmod(x, step)
    return Swift.abs(m / step) < tolerance ? d : d + 1
  }
}
