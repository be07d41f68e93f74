/// Draws bar series (`bar`, `hist`) as eighth blocks in the cells of a text panel's plot
/// area, placed by data coordinates.
///
/// Bar `i` spans `x[i] … x[i] + widths[i]` across: it fills the cell columns whose centre
/// lies in that span, or, when it is narrower than a cell and covers no centre, the column
/// under its middle. Vertically it starts at the baseline (0 on a linear axis, the bottom of
/// the view on a log axis) taken to the nearest cell boundary, since blocks fill cells from
/// their bottom edge, and rises to its height to the nearest eighth of a cell
/// (``BlockBars``). A bar that goes down from the baseline (a negative height, or a
/// reversed y axis) is drawn in whole cells. Bars with a non-finite coordinate are skipped.
enum BarPainter {
  /// Paints `series` (bars of `widths`) in `color` into `cells`, the plot area, with the
  /// panel's axis mappings, `baseline` being the value bars rise from.
  static func paint(
    _ series: Series, widths: [Double], color: String, x: AxisMapping, y: AxisMapping, baseline: Double,
    into cells: inout CellGrid
  ) {
    let rows = cells.height
    let base = y.dot(baseline)
    let bottom = base.isFinite ? Int(min(max(((base + 0.5) / 4).rounded(), 0), Double(rows))) : 0
    for (index, (left, height)) in zip(series.x, series.y).enumerated() where index < widths.count {
      let top = (y.dot(height) + 0.5) / 4
      guard top.isFinite, let span = columns(left, left + widths[index], x: x, count: cells.width) else { continue }
      let blocks = column(top: min(max(top, -1), Double(rows) + 1), bottom: bottom, rows: rows)
      for column in span {
        for (row, block) in blocks.enumerated() where block != " " {
          cells.put(block, column: column, row: row, color: color)
        }
      }
    }
  }

  /// The cell columns a bar from `left` to `right` (data values) fills, nil when it has no
  /// finite place or lies outside the `count` columns.
  private static func columns(_ left: Double, _ right: Double, x: AxisMapping, count: Int) -> ClosedRange<Int>? {
    let (a, b) = (x.dot(left), x.dot(right))
    guard a.isFinite, b.isFinite, count > 0 else { return nil }
    let (low, high) = (min(a, b), max(a, b))
    // Column c's centre is dot coordinate 2c + 0.5.
    var first = ((low - 0.5) / 2).rounded(.up)
    var last = ((high - 0.5) / 2).rounded(.up) - 1
    if first > last {
      let middle = (((low + high) / 2 + 0.5) / 2).rounded(.down)
      (first, last) = (middle, middle)
    }
    let limit = Double(count - 1)
    guard last >= 0, first <= limit else { return nil }
    return Int(max(first, 0))...Int(min(last, limit))
  }

  /// The characters of one bar column, top row first: blocks from cell boundary `bottom`
  /// (counted from the bottom) up to `top` cells, or whole cells down to `top` when it lies
  /// below `bottom`.
  private static func column(top: Double, bottom: Int, rows: Int) -> [Character] {
    var blocks = [Character](repeating: " ", count: rows)
    if top >= Double(bottom) {
      let upper = BlockBars(heights: [top - Double(bottom)], rows: rows - bottom).lines()
      for (row, line) in upper.enumerated() { blocks[row] = line.first ?? " " }
    } else {
      let depth = min(Int((Double(bottom) - top).rounded()), bottom)
      for row in rows - bottom..<rows - bottom + depth { blocks[row] = "█" }
    }
    return blocks
  }
}
