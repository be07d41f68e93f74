import Foundation

/// The text of tick labels, as matplotlib's default formatters show them.
///
/// `linear` follows `ScalarFormatter(useOffset=False)`: every tick of an axis gets the same
/// number of decimals, the fewest (up to 3 beyond the range's order of magnitude) that tell
/// every tick value apart (`0.0 0.5 1.0`, `-2 0 2`, `0 1000 2000`). When the largest visible
/// tick is at least 10⁶ or below 10⁻⁴, the labels count in units of 10ᵏ and the axis shows
/// the multiplier `1ek` at its end, as matplotlib. Simplified: matplotlib's offsets (its
/// default `useOffset=True`, e.g. `+1.234e5`) are not produced. The minus sign is ASCII `-`
/// (matplotlib draws U+2212 `−`), so labels are one column per character in a terminal.
///
/// `log` follows `LogFormatterSciNotation` for the decade ticks `TickLocator.log` places:
/// `10⁻²`, `10⁰`, `10³` (matplotlib's mathtext `10^{-2}` written with Unicode superscripts).
enum TickLabels {
  /// The labels of `ticks` (every tick the locator gave, also those just outside the view)
  /// and the multiplier text they are in units of (`"1e7"`, `"1e-6"`; nil for units of 1).
  /// `view` is the axis's limits: the multiplier looks at the ticks inside it, and with fewer
  /// than two ticks the decimals come from the ticks and the view's ends, as matplotlib does.
  static func linear(_ ticks: [Double], view: AxisLimits) -> (labels: [String], multiplier: String?) {
    let exponent = orderOfMagnitude(ticks, view: view)
    let unit = pow(10, Double(exponent))
    let scaled = ticks.map { $0 / unit }
    let places = decimals(scaled, view: AxisLimits(lower: view.lower / unit, upper: view.upper / unit))
    let labels = scaled.map { tick in
      String(format: "%1.*f", places, Swift.abs(tick) < 1e-8 ? 0 : tick)
    }
    return (labels, exponent == 0 ? nil : "1e\(exponent)")
  }

  /// `ScalarFormatter._set_order_of_magnitude` with matplotlib's default power limits
  /// (-5, 6): the decade exponent of the largest visible tick when it is at most -5 or at
  /// least 6, else 0.
  static func orderOfMagnitude(_ ticks: [Double], view: AxisLimits) -> Int {
    let (low, high) = (Swift.min(view.lower, view.upper), Swift.max(view.lower, view.upper))
    let visible = ticks.filter { low <= $0 && $0 <= high }.map(Swift.abs)
    guard let largest = visible.max(), largest != 0, largest.isFinite else { return 0 }
    let exponent = Int(floor(log10(largest)))
    return exponent <= -5 || exponent >= 6 ? exponent : 0
  }

  /// `ScalarFormatter._set_format`'s number of decimals: counting down from 3 beyond the
  /// order of magnitude of the ticks' range while rounding every tick to that many decimals
  /// moves none by 1/1000 of that order of magnitude or more, one more than where it stops.
  static func decimals(_ ticks: [Double], view: AxisLimits) -> Int {
    let values = ticks.filter(\.isFinite)
    let spread = values.count < 2 ? values + [view.lower, view.upper] : values
    guard let low = spread.min(), let high = spread.max() else { return 0 }
    var range = high - low
    if range == 0 { range = spread.map(Swift.abs).max() ?? 0 }
    if range == 0 { range = 1 }
    if !range.isFinite { range = .greatestFiniteMagnitude }  // ends near ±1.8e308
    let magnitude = Int(floor(log10(range)))
    let threshold = 1e-3 * pow(10, Double(magnitude))
    var places = Swift.max(0, 3 - magnitude)
    while places >= 0 {
      let moved = values.map { Swift.abs($0 - numpyRound($0, decimals: places)) }.max() ?? 0
      if moved < threshold { places -= 1 } else { break }
    }
    return places + 1
  }

  /// numpy's `np.round(x, decimals)` for `decimals >= 0`: scale by the power of ten numpy
  /// computes (exact table up to 10⁸, then repeated multiplication), round half to even,
  /// scale back.
  private static func numpyRound(_ x: Double, decimals: Int) -> Double {
    var factor = 1.0
    if decimals < 9 {
      factor = pow(10, Double(decimals))
    } else {
      factor = 1e9
      for _ in 9..<decimals { factor *= 10 }
    }
    return (x * factor).rounded(.toNearestOrEven) / factor
  }

  /// The labels of decade ticks on a log axis: `10` with the exponent in Unicode
  /// superscripts (`10⁻²`). A tick that is not a power of ten (the locator places none) is
  /// written as mantissa × the decade below it (`2×10³`, mantissa as `%g`).
  static func log(_ ticks: [Double]) -> [String] {
    ticks.map { tick in
      guard tick > 0, tick.isFinite else { return String(format: "%g", tick) }
      let exponent = floor(log10(tick))
      let decade = log10(tick).rounded()
      if Swift.abs(log10(tick) - decade) < 1e-10 { return "10" + superscript(Int(decade)) }
      let mantissa = String(format: "%g", (tick / pow(10, exponent) * 1e6).rounded() / 1e6)
      return mantissa + "×10" + superscript(Int(exponent))
    }
  }

  /// `n` in Unicode superscript digits, with a superscript minus when negative.
  static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let body = String(String(n.magnitude).map { digits[Int(String($0)) ?? 0] })
    return n < 0 ? "⁻" + body : body
  }
}
