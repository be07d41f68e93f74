/// Where the parts of one text panel go: the rows of the title, the y-label line, the plot
/// area, the x axis, its tick labels and the x label, and the columns of the y tick labels,
/// the y axis and the plot area; with the ticks of both axes and the mappings from data to
/// the plot area's braille dots.
///
/// From the top: the title (when set), the y-label line (when a y label or a y multiplier
/// such as `1e7` is shown), the plot area, the x axis line, the x tick labels, the x label
/// (when set). Across: the y tick labels right-aligned in a column as wide as the longest,
/// the y axis, the plot area to the panel's right edge. The number of intervals the tick
/// locator aims for follows the plot area's size, about one per 10 columns and one per 4
/// rows (1 to 9, matplotlib's most being 9).
struct PanelLayout {
  /// The panel's width in columns.
  let width: Int
  /// The row of the title, when there is one.
  let titleRow: Int?
  /// The row of the y label and the y multiplier, when either is shown.
  let headerRow: Int?
  /// The first row of the plot area.
  let plotTop: Int
  /// The plot area's height in rows (at least 1).
  let plotRows: Int
  /// The width of the y tick label column; the y axis is drawn in the column after it.
  let labelWidth: Int
  /// The plot area's width in columns (at least 1).
  let plotColumns: Int
  /// The row of the x label, when there is one.
  let xlabelRow: Int?
  /// The x axis's ticks.
  let xTicks: AxisTicks
  /// The y axis's ticks.
  let yTicks: AxisTicks
  /// Data x to dot column of the plot area's braille canvas.
  let x: AxisMapping
  /// Data y to dot row (y up) of the plot area's braille canvas.
  let y: AxisMapping

  /// The layout of `axes` in a panel of `width × height` cells.
  init(_ axes: Axes, width: Int, height: Int) {
    self.width = width
    let titleRows = axes.title == nil ? 0 : 1
    let footerRows = 2 + (axes.xlabel == nil ? 0 : 1)
    var headerRows = axes.ylabel == nil ? 0 : 1
    var rows = max(1, height - titleRows - headerRows - footerRows)
    var yTicks = axes.yTicks(nbins: Self.bins(rows, perBin: 4))
    if headerRows == 0, yTicks.multiplier != nil {
      headerRows = 1
      rows = max(1, rows - 1)
      yTicks = axes.yTicks(nbins: Self.bins(rows, perBin: 4))
    }
    titleRow = titleRows == 1 ? 0 : nil
    headerRow = headerRows == 1 ? titleRows : nil
    plotTop = titleRows + headerRows
    plotRows = rows
    xlabelRow = axes.xlabel == nil ? nil : plotTop + rows + 2
    labelWidth = yTicks.labels.map(\.count).max() ?? 0
    plotColumns = max(1, width - labelWidth - 1)
    xTicks = axes.xTicks(nbins: Self.bins(plotColumns, perBin: 10))
    self.yTicks = yTicks
    x = AxisMapping(view: axes.xView, scale: .linear, dots: 2 * plotColumns)
    y = AxisMapping(view: axes.yView, scale: axes.yscale, dots: 4 * rows)
  }

  /// The tick locator's `nbins` for an axis `cells` long: one interval per `perBin` cells,
  /// 1 to 9.
  static func bins(_ cells: Int, perBin: Int) -> Int {
    min(max(cells / perBin, 1), 9)
  }

  /// The first column of the plot area (the y axis is the column before it).
  var plotLeft: Int { labelWidth + 1 }
  /// The row of the x axis line.
  var axisRow: Int { plotTop + plotRows }
  /// The row of the x tick labels.
  var tickLabelRow: Int { axisRow + 1 }

  /// The plot-area column of data x `value`, nil when it is outside the view.
  func column(ofX value: Double) -> Int? {
    x.nearestDot(x.dot(value)).map { $0 / 2 }
  }

  /// The plot-area row (from the top) of data y `value`, nil when it is outside the view.
  func row(ofY value: Double) -> Int? {
    y.nearestDot(y.dot(value)).map { plotRows - 1 - $0 / 4 }
  }
}
