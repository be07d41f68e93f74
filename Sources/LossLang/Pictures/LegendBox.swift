/// The legend of a text panel: one row per labelled series, a two-column sample of its mark
/// in its colour, a space and the label, placed inside the plot area.
///
/// The box goes in the corner where it covers the fewest drawn cells (counting a one-cell
/// margin around it), trying the corners in matplotlib's `loc="best"` order: upper right,
/// upper left, lower left, lower right; the first of equals wins, so an empty plot has it at
/// the upper right. The box and a one-column margin beside it are cleared before it is
/// written, so the legend stays readable over data. Labels too long for the plot area are
/// cut with `…`; entries beyond the plot area's height are left out.
enum LegendBox {
  /// The sample of a mark: its line style, a marker or a block.
  static func sample(_ mark: Series.Mark) -> String {
    switch mark {
    case .line(let style), .verticalLine(let style), .horizontalLine(let style): sample(style)
    case .scatter: " •"
    case .bars: "██"
    }
  }

  /// The sample of a line style.
  private static func sample(_ style: LineStyle) -> String {
    switch style {
    case .solid: "──"
    case .dashed: "╌╌"
    case .dotted: "┈┈"
    case .markers: " •"
    }
  }

  /// Writes the legend of `entries` (labelled series) into `cells`, the plot area.
  static func place(_ entries: [Series], in cells: inout CellGrid) {
    let shown = Array(entries.prefix(cells.height))
    guard !shown.isEmpty, cells.width > 0 else { return }
    let texts = shown.map { sample($0.mark) + " " + ($0.label ?? "") }
    let boxWidth = min(texts.map(\.count).max() ?? 0, cells.width)
    let corners = [
      (cells.width - boxWidth, 0), (0, 0), (0, cells.height - shown.count),
      (cells.width - boxWidth, cells.height - shown.count),
    ]
    let scores = corners.map { covered(cells, $0, boxWidth, shown.count) }
    let (left, top) = corners[scores.indices.min { scores[$0] < scores[$1] } ?? 0]
    for row in top..<top + shown.count {
      for column in left - 1...left + boxWidth { cells.put(" ", column: column, row: row) }
    }
    for (offset, (series, text)) in zip(shown, texts).enumerated() {
      let fitted = TextFitting.fit(text, width: boxWidth)
      let sampleWidth = min(2, fitted.count)
      cells.write(String(fitted.prefix(sampleWidth)), column: left, row: top + offset, color: series.color)
      cells.write(String(fitted.dropFirst(sampleWidth)), column: left + sampleWidth, row: top + offset)
    }
  }

  /// The number of non-blank cells a box of `width × height` at `corner` (top-left) and the
  /// cells around it would cover.
  private static func covered(_ cells: CellGrid, _ corner: (Int, Int), _ width: Int, _ height: Int) -> Int {
    var count = 0
    for row in corner.1 - 1...corner.1 + height {
      for column in corner.0 - 1...corner.0 + width where cells.character(column: column, row: row) != " " {
        count += 1
      }
    }
    return count
  }
}
