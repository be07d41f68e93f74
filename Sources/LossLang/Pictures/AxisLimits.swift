import Foundation

/// The view limits of one axis, as matplotlib's `Axes.autoscale_view` and `set_xlim` give them.
///
/// Autoscaled limits are the data's extent widened by a margin of `axes.xmargin` /
/// `axes.ymargin` (0.05 of the span on each side; on a log axis in log10 space), with a zero
/// span first expanded as matplotlib's locators do (`Locator.nonsingular`: ±5% of the value,
/// or ±0.05 around zero; `LogLocator.nonsingular`: out to the decades on either side).
/// Explicit limits replace them (reversed when `lower > upper`, as `xlim(hi, lo)` reverses).
/// Not modelled: sticky edges (bars and histograms keep 0 at the axis edge in matplotlib) and
/// the classic `round_numbers` autolimit mode.
struct AxisLimits: Sendable, Equatable {
  /// The value at the left (x) or bottom (y) end of the axis.
  var lower: Double
  /// The value at the right (x) or top (y) end of the axis.
  var upper: Double

  /// matplotlib's default margin: `axes.xmargin` = `axes.ymargin` = 0.05.
  static let defaultMargin = 0.05

  /// The autoscaled limits of an axis showing `values` (NaN and infinities are ignored), or
  /// nil when no value is finite. On a log axis non-positive values are left out of the
  /// margin computation as matplotlib clips them (its `minpos`); when every value is
  /// non-positive the limits are matplotlib's fallback 1…10.
  static func autoscaled(_ values: [Double], scale: AxisScale, margin: Double = defaultMargin) -> AxisLimits? {
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return nil }
    switch scale {
    case .linear:
      let (x0, x1) = nonsingular(low, high, expander: 0.05, tiny: 1e-15)
      var delta = (x1 - x0) * margin
      if !delta.isFinite { delta = 0 }
      let (v0, v1) = nonsingular(x0 - delta, x1 + delta, expander: 1e-12, tiny: 1e-13)
      return AxisLimits(lower: v0, upper: v1)
    case .log:
      let minPositive = finite.filter { $0 > 0 }.min() ?? .infinity
      let (x0, x1) = logNonsingular(low, high, minPositive: minPositive)
      let (t0, t1) = (log10(x0), log10(x1))
      var delta = (t1 - t0) * margin
      if !delta.isFinite { delta = 0 }
      let (v0, v1) = logNonsingular(pow(10, t0 - delta), pow(10, t1 + delta), minPositive: minPositive)
      return AxisLimits(lower: v0, upper: v1)
    }
  }

  /// Limits set explicitly (`xlim(lo, hi)`), as matplotlib's `set_xlim`: equal ends are
  /// expanded as in autoscaling and the order is kept. Nil when an end is NaN or infinite,
  /// or, on a log axis, not positive (matplotlib ignores such an end with a warning; the
  /// caller reports it).
  static func explicit(_ lo: Double, _ hi: Double, scale: AxisScale) -> AxisLimits? {
    guard lo.isFinite, hi.isFinite else { return nil }
    let (a, b): (Double, Double)
    switch scale {
    case .linear: (a, b) = nonsingular(lo, hi, expander: 0.05, tiny: 1e-15)
    case .log:
      guard lo > 0, hi > 0 else { return nil }
      (a, b) = logNonsingular(lo, hi, minPositive: Swift.min(lo, hi))
    }
    let (v0, v1) = (Swift.min(a, b), Swift.max(a, b))
    return lo > hi ? AxisLimits(lower: v1, upper: v0) : AxisLimits(lower: v0, upper: v1)
  }

  /// matplotlib's `transforms._nonsingular` (increasing): a range too narrow for its
  /// magnitude (`vmax - vmin <= max(|vmin|, |vmax|) * tiny`) widened by `expander` times each
  /// end's magnitude; a range at (or near) zero, or one with a non-finite end, becomes
  /// `-expander…expander`.
  static func nonsingular(_ vmin: Double, _ vmax: Double, expander: Double, tiny: Double) -> (Double, Double) {
    guard vmin.isFinite, vmax.isFinite else { return (-expander, expander) }
    var (low, high) = vmax < vmin ? (vmax, vmin) : (vmin, vmax)
    let maxAbs = Swift.max(Swift.abs(low), Swift.abs(high))
    if maxAbs < (1e6 / tiny) * Double.leastNormalMagnitude {
      return (-expander, expander)
    }
    if high - low <= maxAbs * tiny {
      if high == 0 && low == 0 { return (-expander, expander) }
      low -= expander * Swift.abs(low)
      high += expander * Swift.abs(high)
    }
    return (low, high)
  }

  /// matplotlib's `LogLocator.nonsingular` followed by `LogScale.limit_range_for_scale`:
  /// non-positive ends become the smallest positive value, a zero-width range spans the
  /// decades below and above it, and a range without positive values falls back to 1…10.
  static func logNonsingular(_ vmin: Double, _ vmax: Double, minPositive: Double) -> (Double, Double) {
    var (low, high) = vmin > vmax ? (vmax, vmin) : (vmin, vmax)
    guard low.isFinite, high.isFinite, high > 0 else { return (1, 10) }
    let minPos = minPositive.isFinite ? minPositive : 1e-300
    if low <= 0 { low = minPos }
    if low == high {
      low = decade(below: low)
      high = decade(above: high)
    }
    return (low, high)
  }

  /// The largest power of 10 strictly below positive `x` (matplotlib's `_decade_less`).
  private static func decade(below x: Double) -> Double {
    let atOrBelow = pow(10, floor(log(x) / log(10.0)))
    return atOrBelow == x ? atOrBelow / 10 : atOrBelow
  }

  /// The smallest power of 10 strictly above positive `x` (matplotlib's `_decade_greater`).
  private static func decade(above x: Double) -> Double {
    let atOrAbove = pow(10, ceil(log(x) / log(10.0)))
    return atOrAbove == x ? atOrAbove * 10 : atOrAbove
  }
}
