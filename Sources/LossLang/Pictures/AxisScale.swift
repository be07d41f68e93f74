/// How an axis maps data values to positions: evenly (`linear`) or by their base-10
/// logarithm (`log`), as matplotlib's `yscale("linear" | "log")`.
enum AxisScale: String, Sendable, Equatable, CaseIterable {
  case linear
  case log
}
