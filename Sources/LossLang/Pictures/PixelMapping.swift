import Foundation

/// Maps one panel's data coordinates to SVG user units inside its axes box: x linearly from
/// the view's lower to upper limit left to right, y (linearly or by log10) from the lower
/// limit at the bottom to the upper at the top. Reversed limits (`lower > upper`) reverse
/// the direction.
struct PixelMapping: Sendable {
  /// The axes box.
  let box: SVGRect
  /// The x view limits.
  let xView: AxisLimits
  /// The y view limits.
  let yView: AxisLimits
  /// The y scale.
  let yscale: AxisScale

  /// The mapping of `axes`' views into `box`.
  init(axes: Axes, box: SVGRect) {
    (self.box, xView, yView, yscale) = (box, axes.xView, axes.yView, axes.yscale)
  }

  /// The horizontal position of data `x` (not finite when `x` is not).
  func x(_ value: Double) -> Double {
    box.x + Self.fraction(value, xView.lower, xView.upper) * box.width
  }

  /// The vertical position of data `y`; not finite when `y` is not, or on a log axis when it
  /// is not positive.
  func y(_ value: Double) -> Double {
    let t = transform
    return box.maxY - Self.fraction(t(value), t(yView.lower), t(yView.upper)) * box.height
  }

  /// The point of data `(x, y)`.
  func point(_ x: Double, _ y: Double) -> SegmentClip.Point {
    (self.x(x), self.y(y))
  }

  /// The y value at the bottom of a bar: 0 on a linear axis; on a log axis, which cannot
  /// show 0, the smaller view limit (where 0 would be).
  var barBase: Double {
    yscale == .linear ? 0 : Swift.min(yView.lower, yView.upper)
  }

  /// The function the y scale applies before mapping linearly.
  private var transform: (Double) -> Double {
    switch yscale {
    case .linear: { $0 }
    case .log: { $0 > 0 ? log10($0) : .nan }
    }
  }

  /// Where `value` lies from `lower` (0) to `upper` (1), computed on halved values so that
  /// differences of values near ±1e308 stay finite.
  private static func fraction(_ value: Double, _ lower: Double, _ upper: Double) -> Double {
    (value / 2 - lower / 2) / (upper / 2 - lower / 2)
  }
}
