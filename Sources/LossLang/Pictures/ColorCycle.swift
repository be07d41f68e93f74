/// matplotlib's default property cycle: the colours successive series take when none is
/// given (`axes.prop_cycle`, the "tab10" palette), as `#rrggbb`.
enum ColorCycle {
  /// The ten colours in cycle order (checked against matplotlib's rcParams by the tests).
  static let tab10: [String] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ]

  /// The colour of the series drawn `index`-th (0-based) on an axes, wrapping after ten.
  static func color(at index: Int) -> String {
    let count = tab10.count
    return tab10[((index % count) + count) % count]
  }
}
