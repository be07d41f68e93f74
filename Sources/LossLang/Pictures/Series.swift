/// One thing drawn on an axes: a line, points, bars or a reference line, with its data in
/// data coordinates, its legend label and its colour.
///
/// Points keep NaN and infinite values where the user gave them: renderers skip such a point
/// and break a line there, and autoscaling ignores it (the builtins warn with the count).
struct Series: Sendable, Equatable {
  /// What kind of mark the series draws.
  enum Mark: Sendable, Equatable {
    /// A polyline through the points in order, or markers at them (`plot`).
    case line(LineStyle)
    /// Markers at the points (`scatter`).
    case scatter
    /// Rectangles from 0 up to each height (`bar`, `hist`): bar `i` spans
    /// `x[i] ..< x[i] + widths[i]` horizontally and `0…y[i]` vertically.
    case bars(widths: [Double])
    /// A line across the whole axes at `x[0]` (`axvline`).
    case verticalLine(LineStyle)
    /// A line across the whole axes at `y[0]` (`axhline`).
    case horizontalLine(LineStyle)
  }

  /// The kind of mark.
  var mark: Mark
  /// The x coordinates (for bars, each bar's left edge; for `axhline`, empty).
  var x: [Double]
  /// The y coordinates (for bars, the heights; for `axvline`, empty).
  var y: [Double]
  /// The legend entry, or nil for none.
  var label: String?
  /// The colour as `#rrggbb`.
  var color: String

  /// The x values autoscaling takes into account: the points, both edges of every bar, the
  /// position of a vertical line; nothing for a horizontal line (it spans any x range).
  var xExtent: [Double] {
    switch mark {
    case .line, .scatter, .verticalLine: x
    case .bars(let widths): x + zip(x, widths).map { $0 + $1 }
    case .horizontalLine: []
    }
  }

  /// The y values autoscaling takes into account; bars include their baseline 0 on a linear
  /// axis (a log axis cannot show it, so there only the heights count).
  func yExtent(scale: AxisScale) -> [Double] {
    switch mark {
    case .bars: scale == .linear ? y + [0] : y
    case .line, .scatter, .horizontalLine: y
    case .verticalLine: []
    }
  }

  /// The number of points with a NaN or infinite coordinate (what the builtins warn about).
  var nonFiniteCount: Int {
    switch mark {
    case .line, .scatter, .bars: zip(x, y).count { !$0.0.isFinite || !$0.1.isFinite }
    case .verticalLine, .horizontalLine: 0
    }
  }
}
