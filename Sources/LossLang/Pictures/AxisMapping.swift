import Foundation

/// Where data values land along one axis of a text panel's braille canvas, in dot
/// coordinates.
///
/// The view's first limit (`lower`: left or bottom) is the centre of dot 0 and its second
/// (`upper`) the centre of the last dot, `dots - 1`, with values in between placed linearly,
/// or linearly in log10 on a log axis; reversed limits reverse the axis. A value with no
/// place (NaN, infinite, or not positive on a log axis) maps to NaN, which the painters
/// skip. A cell holds 2 dots across and 4 up, so an x coordinate `d` lies in cell column
/// `nearestDot(d) / 2` and a y coordinate in cell row `nearestDot(d) / 4` from the bottom.
struct AxisMapping {
  /// The view limit at dot 0, in scale space (log10 of it on a log axis).
  let start: Double
  /// The view limit at the last dot, in scale space.
  let end: Double
  /// The axis scale.
  let scale: AxisScale
  /// The number of dots along the axis.
  let dots: Int

  /// The mapping of `view` on `scale` onto `dots` dots.
  init(view: AxisLimits, scale: AxisScale, dots: Int) {
    self.scale = scale
    self.dots = max(dots, 1)
    start = Self.scaled(view.lower, scale)
    end = Self.scaled(view.upper, scale)
  }

  /// `value` in scale space: itself, or its log10 on a log axis (NaN when not positive).
  private static func scaled(_ value: Double, _ scale: AxisScale) -> Double {
    switch scale {
    case .linear: value
    case .log: value > 0 ? log10(value) : .nan
    }
  }

  /// The real dot coordinate of `value`, or NaN when it has none.
  func dot(_ value: Double) -> Double {
    let t = Self.scaled(value, scale)
    guard t.isFinite, start.isFinite, end.isFinite, end != start else { return .nan }
    return (t - start) / (end - start) * Double(dots - 1)
  }

  /// The dot a real dot coordinate belongs to (dot `i` covers `[i - 0.5, i + 0.5)`), nil
  /// when it lies outside the axis.
  func nearestDot(_ coordinate: Double) -> Int? {
    let dot = (coordinate + 0.5).rounded(.down)
    guard dot >= 0, dot < Double(dots) else { return nil }
    return Int(dot)
  }
}
