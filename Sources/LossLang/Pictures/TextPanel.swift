/// One panel (``Axes``) drawn as text: the plot area with its legend, the axes with their
/// ticks and tick labels, the title and the axis labels, in the places ``PanelLayout``
/// gives them.
///
/// The frame is the left and bottom axis lines, `│` and `─` meeting in `└`, with a tick
/// mark `┤` beside each y tick and `┬` under each x tick. Y tick labels are right-aligned
/// against the axis on their tick's row; x tick labels are centred under their tick (moved
/// inwards at the panel's edges), and a label that would touch the one before it (they
/// need a blank between them) or the multiplier is left out. The x multiplier (`1e7`) ends
/// at the panel's right edge on the tick label row; the y multiplier ends just left of the
/// y axis on the y-label line (after the y label, if that is longer). The title and the x
/// label are centred over the plot area, the y label starts at the panel's left edge on the
/// line above the plot. Texts too long for the panel are cut with `…`.
enum TextPanel {
  /// `axes` drawn in `width × height` cells.
  static func render(_ axes: Axes, width: Int, height: Int) -> CellGrid {
    let layout = PanelLayout(axes, width: width, height: height)
    var panel = CellGrid(width: width, height: height)
    var plot = PlotArea.render(axes, layout: layout)
    LegendBox.place(axes.legendEntries, in: &plot)
    panel.paste(plot, column: layout.plotLeft, row: layout.plotTop)
    drawFrame(layout, on: &panel)
    drawYTicks(layout, on: &panel)
    drawXTicks(layout, on: &panel)
    drawTexts(axes, layout, on: &panel)
    return panel
  }

  /// The y axis `│`, the x axis `─` and the corner `└`.
  private static func drawFrame(_ layout: PanelLayout, on panel: inout CellGrid) {
    for row in layout.plotTop..<layout.axisRow { panel.put("│", column: layout.labelWidth, row: row) }
    panel.put("└", column: layout.labelWidth, row: layout.axisRow)
    for column in layout.plotLeft..<layout.plotLeft + layout.plotColumns {
      panel.put("─", column: column, row: layout.axisRow)
    }
  }

  /// The y tick marks and their labels; a tick on a row already labelled is left out.
  private static func drawYTicks(_ layout: PanelLayout, on panel: inout CellGrid) {
    var used = Set<Int>()
    for (value, label) in zip(layout.yTicks.values, layout.yTicks.labels) {
      guard let row = layout.row(ofY: value), used.insert(row).inserted else { continue }
      panel.put("┤", column: layout.labelWidth, row: layout.plotTop + row)
      panel.write(label, column: layout.labelWidth - label.count, row: layout.plotTop + row)
    }
  }

  /// The x tick marks, their labels where they fit, and the x multiplier.
  private static func drawXTicks(_ layout: PanelLayout, on panel: inout CellGrid) {
    let row = layout.tickLabelRow
    var limit = layout.width
    if let multiplier = layout.xTicks.multiplier {
      let text = TextFitting.fit(multiplier, width: layout.width)
      panel.write(text, column: layout.width - text.count, row: row)
      limit = layout.width - text.count - 1
    }
    // Left to right on the screen, which is right to left in data on a reversed axis.
    let ticks = zip(layout.xTicks.values, layout.xTicks.labels)
      .compactMap { value, label in layout.column(ofX: value).map { (column: $0, label: label) } }
      .sorted { $0.column < $1.column }
    var free = 0
    for (column, label) in ticks {
      panel.put("┬", column: layout.plotLeft + column, row: layout.axisRow)
      let start = max(0, min(layout.plotLeft + column - (label.count - 1) / 2, layout.width - label.count))
      guard start >= free, start + label.count <= limit else { continue }
      panel.write(label, column: start, row: row)
      free = start + label.count + 1
    }
  }

  /// The title, the y label with the y multiplier, and the x label.
  private static func drawTexts(_ axes: Axes, _ layout: PanelLayout, on panel: inout CellGrid) {
    let centred = { (text: String, row: Int, panel: inout CellGrid) in
      let fitted = TextFitting.fit(text, width: layout.width)
      let start = TextFitting.centred(
        length: fitted.count, left: layout.plotLeft, span: layout.plotColumns, width: layout.width)
      panel.write(fitted, column: start, row: row)
    }
    if let title = axes.title, let row = layout.titleRow { centred(title, row, &panel) }
    if let xlabel = axes.xlabel, let row = layout.xlabelRow { centred(xlabel, row, &panel) }
    guard let row = layout.headerRow else { return }
    let ylabel = TextFitting.fit(axes.ylabel ?? "", width: layout.width)
    panel.write(ylabel, column: 0, row: row)
    if let multiplier = layout.yTicks.multiplier {
      let start = max(layout.labelWidth - multiplier.count, ylabel.isEmpty ? 0 : ylabel.count + 1)
      panel.write(TextFitting.fit(multiplier, width: layout.width - start), column: start, row: row)
    }
  }
}
