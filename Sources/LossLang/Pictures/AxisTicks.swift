/// The ticks one axis shows: their values, inside the view, and their labels, as both
/// renderers draw them.
///
/// A linear axis uses `TickLocator.linear` with `nbins` bins and `TickLabels.linear`; a log
/// axis `TickLocator.log` and `TickLabels.log`. Category axes (after `bar`) put one tick at
/// each category with its name.
struct AxisTicks: Sendable, Equatable {
  /// The tick positions in data coordinates, inside the view, in increasing order.
  var values: [Double]
  /// The label of each tick.
  var labels: [String]
  /// The multiplier the labels are in units of (`"1e7"`), shown at the end of the axis.
  var multiplier: String?

  /// The ticks of an axis showing `view` on `scale`, with about `nbins` intervals (the
  /// renderer chooses it from the axis's length).
  init(view: AxisLimits, scale: AxisScale, nbins: Int) {
    let (low, high) = (Swift.min(view.lower, view.upper), Swift.max(view.lower, view.upper))
    let slack = (high - low) * 1e-10
    switch scale {
    case .linear:
      let all = TickLocator.linear(view.lower, view.upper, nbins: nbins)
      let (labels, multiplier) = TickLabels.linear(all, view: view)
      let kept = zip(all, labels).filter { $0.0 >= low - slack && $0.0 <= high + slack }
      (values, self.labels, self.multiplier) = (kept.map(\.0), kept.map(\.1), multiplier)
    case .log:
      let all = TickLocator.log(low, high).filter { $0 >= low * (1 - 1e-10) && $0 <= high * (1 + 1e-10) }
      (values, labels, multiplier) = (all, TickLabels.log(all), nil)
    }
  }

  /// One tick per category at positions 0, 1, 2, … labelled with the category names.
  init(categories: [String]) {
    values = categories.indices.map(Double.init)
    labels = categories
    multiplier = nil
  }
}
