/// One panel of a figure, as matplotlib's `Axes`: the series drawn on it, its title and axis
/// labels, explicit limits, the y scale, the grid switch and the colour cycles.
///
/// Every change is validated before anything is stored, so a call that throws leaves the
/// axes as it was. Series colours follow matplotlib: `plot` and `hist` take the next colour
/// of the line cycle, `scatter` and `bar` the next of the patch cycle (matplotlib keeps the
/// two apart), and reference lines default to the first colour without advancing either.
struct Axes: Sendable, Equatable {
  /// Which cycle a series without a colour takes its colour from.
  enum ColorSource: Sendable {
    /// matplotlib's line cycle (`plot`, `hist`).
    case lines
    /// matplotlib's patch cycle (`scatter`, `bar`).
    case patches
    /// The first cycle colour, `C0`, without advancing a cycle (`axvline`, `axhline`).
    case fixed
  }

  /// The series in drawing order.
  private(set) var series: [Series] = []
  /// The title above the panel.
  var title: String?
  /// The x axis label.
  var xlabel: String?
  /// The y axis label.
  var ylabel: String?
  /// Limits set with `xlim`, or nil to autoscale.
  private(set) var xlimits: AxisLimits?
  /// Limits set with `ylim`, or nil to autoscale.
  private(set) var ylimits: AxisLimits?
  /// The y axis scale.
  private(set) var yscale: AxisScale = .linear
  /// Whether grid lines are drawn at the ticks.
  var grid = false
  /// The category names of the x axis after `bar`, at positions 0, 1, 2, ….
  private(set) var categories: [String]?
  /// How many colours the line cycle has handed out.
  private var usedLineColors = 0
  /// How many colours the patch cycle has handed out.
  private var usedPatchColors = 0

  /// The legend entries: the series with a label, in drawing order.
  var legendEntries: [Series] { series.filter { $0.label != nil } }

  /// Adds a series after checking it: x and y of equal length for points and bars, at least
  /// one finite point, no non-positive y on a log axis. `color` (a name or `#rrggbb`) nil
  /// takes the next colour from `source`. Returns the number of NaN or infinite points,
  /// which the renderers skip.
  @discardableResult
  mutating func add(
    _ mark: Series.Mark, x: [Double], y: [Double], label: String?, color: String?, source: ColorSource
  ) throws(LossLangError) -> Int {
    let resolved = try color.map { name throws(LossLangError) in try NamedColor.hex(name) } ?? nextColor(source)
    let candidate = Series(mark: mark, x: x, y: y, label: label, color: resolved)
    try Self.check(candidate)
    if yscale == .log { try Self.checkPositive(candidate) }
    series.append(candidate)
    if color == nil {
      if source == .lines { usedLineColors += 1 }
      if source == .patches { usedPatchColors += 1 }
    }
    return candidate.nonFiniteCount
  }

  /// The colour the next series from `source` takes.
  private func nextColor(_ source: ColorSource) -> String {
    switch source {
    case .lines: ColorCycle.color(at: usedLineColors)
    case .patches: ColorCycle.color(at: usedPatchColors)
    case .fixed: ColorCycle.color(at: 0)
    }
  }

  /// Checks a series' data: lengths, emptiness and finiteness.
  private static func check(_ series: Series) throws(LossLangError) {
    switch series.mark {
    case .line, .scatter, .bars:
      guard series.x.count == series.y.count else {
        throw LossLangError(.runtime, "x and y have different lengths (\(series.x.count) and \(series.y.count))")
      }
      guard !series.x.isEmpty else { throw LossLangError(.runtime, "nothing to draw: the series is empty") }
      guard series.nonFiniteCount < series.x.count else {
        throw LossLangError(.runtime, "nothing to draw: all \(series.x.count) points are NaN or infinite")
      }
    case .verticalLine:
      guard series.x.count == 1, series.x[0].isFinite else {
        throw LossLangError(.runtime, "the line's position must be a finite number")
      }
    case .horizontalLine:
      guard series.y.count == 1, series.y[0].isFinite else {
        throw LossLangError(.runtime, "the line's position must be a finite number")
      }
    }
  }

  /// Checks that a series can be shown on a log y axis: no finite y at or below zero.
  /// Bars of height 0 are the exception: they draw nothing on any axis (a histogram's empty
  /// bins, as matplotlib), so only negative heights are refused.
  private static func checkPositive(_ series: Series) throws(LossLangError) {
    if case .bars = series.mark {
      let bad = series.y.count { $0.isFinite && $0 < 0 }
      guard bad == 0 else { throw LossLangError(.runtime, "a log scale cannot show \(bad) of the bars: their heights are negative") }
      return
    }
    let bad = series.y.count { $0.isFinite && $0 <= 0 }
    guard bad == 0 else {
      throw LossLangError(.runtime, "a log scale cannot show \(bad) of the y values: they are zero or negative")
    }
  }

  /// Sets the y scale; a log scale needs every y drawn so far, and explicit y limits, positive.
  mutating func setYScale(_ scale: AxisScale) throws(LossLangError) {
    if scale == .log {
      for series in series { try Self.checkPositive(series) }
      if let limits = ylimits, limits.lower <= 0 || limits.upper <= 0 {
        throw LossLangError(.runtime, "a log scale cannot show the y limits \(limits.lower) … \(limits.upper); set positive ones first")
      }
    }
    yscale = scale
  }

  /// Sets the x limits (`xlim(lo, hi)`); `hi < lo` reverses the axis.
  mutating func setXLimits(_ lo: Double, _ hi: Double) throws(LossLangError) {
    xlimits = try Self.limits(lo, hi, scale: .linear)
  }

  /// Sets the y limits (`ylim(lo, hi)`) on the current y scale.
  mutating func setYLimits(_ lo: Double, _ hi: Double) throws(LossLangError) {
    ylimits = try Self.limits(lo, hi, scale: yscale)
  }

  /// Explicit limits, or an error naming what is wrong with them.
  private static func limits(_ lo: Double, _ hi: Double, scale: AxisScale) throws(LossLangError) -> AxisLimits {
    guard let limits = AxisLimits.explicit(lo, hi, scale: scale) else {
      let why = lo.isFinite && hi.isFinite ? "a log scale needs positive limits" : "limits must be finite numbers"
      throw LossLangError(.runtime, "cannot set the limits \(lo) … \(hi): \(why)")
    }
    return limits
  }

  /// Puts category names on the x axis (from `bar`).
  mutating func setCategories(_ names: [String]) {
    categories = names
  }

  /// The x axis limits the panel shows: explicit, else autoscaled from the data, else 0 … 1
  /// (matplotlib's empty axes).
  var xView: AxisLimits {
    xlimits ?? AxisLimits.autoscaled(series.flatMap(\.xExtent), scale: .linear) ?? AxisLimits(lower: 0, upper: 1)
  }

  /// The y axis limits the panel shows: explicit, else autoscaled, else 0 … 1 (1 … 10 on a
  /// log axis).
  var yView: AxisLimits {
    let empty = yscale == .log ? AxisLimits(lower: 1, upper: 10) : AxisLimits(lower: 0, upper: 1)
    return ylimits ?? AxisLimits.autoscaled(series.flatMap { $0.yExtent(scale: yscale) }, scale: yscale) ?? empty
  }

  /// The x ticks for an axis with about `nbins` intervals: the categories after `bar`, else
  /// the locator's.
  func xTicks(nbins: Int) -> AxisTicks {
    if let categories { return AxisTicks(categories: categories) }
    return AxisTicks(view: xView, scale: .linear, nbins: nbins)
  }

  /// The y ticks for an axis with about `nbins` intervals.
  func yTicks(nbins: Int) -> AxisTicks {
    AxisTicks(view: yView, scale: yscale, nbins: nbins)
  }

  /// Whether nothing has been drawn or written on the panel.
  var isBlank: Bool {
    series.isEmpty && title == nil && xlabel == nil && ylabel == nil
  }
}
