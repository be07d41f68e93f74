/// The inside of a text panel: grid lines, then bars, then lines and points, as cells with
/// their series' colours.
///
/// Three layers are drawn apart and combined cell by cell: a cell with any braille dot of a
/// line, point or reference line shows that braille character (in the colour of the last
/// series that drew in it), else a cell with a bar block shows the block, else a grid dot
/// shows faintly (in matplotlib's grid grey, `#b0b0b0`). Braille wins over blocks so that a
/// line drawn over a histogram stays unbroken; the bar loses only the cells the line
/// crosses. Grid lines are dots every 4 dots along each tick's line (one dot every other
/// cell across, one per cell down), sparser than a dotted series.
enum PlotArea {
  /// matplotlib's `grid.color`.
  static let gridColor = "#b0b0b0"

  /// The plot area of `axes` laid out by `layout`: `plotColumns × plotRows` cells.
  static func render(_ axes: Axes, layout: PanelLayout) -> CellGrid {
    var lines = BrailleCanvas(columns: layout.plotColumns, rows: layout.plotRows)
    var bars = CellGrid(width: layout.plotColumns, height: layout.plotRows)
    let baseline = axes.yscale == .log ? axes.yView.lower : 0
    for (index, series) in axes.series.enumerated() {
      if case .bars(let widths) = series.mark {
        BarPainter.paint(
          series, widths: widths, color: series.color, x: layout.x, y: layout.y, baseline: baseline, into: &bars)
      } else {
        draw(series, color: index, layout: layout, on: &lines)
      }
    }
    let grid = axes.grid ? gridCanvas(layout) : BrailleCanvas(columns: 0, rows: 0)
    var cells = CellGrid(width: layout.plotColumns, height: layout.plotRows)
    for row in 0..<layout.plotRows {
      for column in 0..<layout.plotColumns {
        let line = lines.character(column: column, row: row)
        let bar = bars.character(column: column, row: row)
        if line != " ", let index = lines.colorIndex(column: column, row: row) {
          cells.put(line, column: column, row: row, color: axes.series[index].color)
        } else if bar != " " {
          cells.put(bar, column: column, row: row, color: bars.color(column: column, row: row))
        } else {
          cells.put(grid.character(column: column, row: row), column: column, row: row, color: gridColor)
        }
      }
    }
    return cells
  }

  /// Draws a series other than bars on the braille canvas with colour index `color`.
  private static func draw(_ series: Series, color: Int, layout: PanelLayout, on canvas: inout BrailleCanvas) {
    let (top, right) = (Double(canvas.dotHeight) - 0.5, Double(canvas.dotWidth) - 0.5)
    switch series.mark {
    case .line(let style):
      let points = zip(series.x, series.y).map { (x: layout.x.dot($0.0), y: layout.y.dot($0.1)) }
      StrokePainter.polyline(points, style: style, color: color, on: &canvas)
    case .scatter:
      let points = zip(series.x, series.y).map { (x: layout.x.dot($0.0), y: layout.y.dot($0.1)) }
      StrokePainter.markers(points, color: color, on: &canvas)
    case .verticalLine(let style):
      let x = series.x.first.map(layout.x.dot) ?? .nan
      StrokePainter.polyline([(x, -0.5), (x, top)], style: referenceStyle(style), color: color, on: &canvas)
    case .horizontalLine(let style):
      let y = series.y.first.map(layout.y.dot) ?? .nan
      StrokePainter.polyline([(-0.5, y), (right, y)], style: referenceStyle(style), color: color, on: &canvas)
    case .bars:
      break
    }
  }

  /// The style a reference line is drawn in: its own, markers as a dotted line (a line
  /// across the axes has no points to mark).
  private static func referenceStyle(_ style: LineStyle) -> LineStyle {
    style == .markers ? .dotted : style
  }

  /// The grid's dots: along each tick's line, every 4th dot.
  private static func gridCanvas(_ layout: PanelLayout) -> BrailleCanvas {
    var canvas = BrailleCanvas(columns: layout.plotColumns, rows: layout.plotRows)
    for x in layout.xTicks.values.compactMap({ layout.x.nearestDot(layout.x.dot($0)) }) {
      for y in stride(from: 0, to: canvas.dotHeight, by: 4) { canvas.setDot(x: x, y: y) }
    }
    for y in layout.yTicks.values.compactMap({ layout.y.nearestDot(layout.y.dot($0)) }) {
      for x in stride(from: 0, to: canvas.dotWidth, by: 4) { canvas.setDot(x: x, y: y) }
    }
    return canvas
  }
}
