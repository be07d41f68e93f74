/// The size of an SVG figure and where each panel's axes box goes.
///
/// Size: 640×480 px (matplotlib's 6.4×4.8 in at 100 dpi), or, when `figure(width=,
/// height=)` gave a size in text cells, 8 px per column and 20 px per row (a cell of a
/// terminal is about twice as high as wide). User units are points (0.72 per pixel).
///
/// Boxes: the panels' grid as matplotlib's default `GridSpec` places it — margins of 12.5%
/// (left), 10% (right), 11% (bottom) and 12% (top) of the figure, equal cells, gaps of 20%
/// of a cell between them — except that a margin or gap grows when the tick labels, axis
/// labels or titles next to it need more room (a light form of `tight_layout`), so subplots'
/// decorations do not overlap.
struct SVGLayout {
  /// The document's width in pixels.
  let pixelWidth: Int
  /// The document's height in pixels.
  let pixelHeight: Int
  /// The width in user units (points).
  var width: Double { Double(pixelWidth) * SVGStyle.pointsPerPixel }
  /// The height in user units (points).
  var height: Double { Double(pixelHeight) * SVGStyle.pointsPerPixel }

  /// Extra room beside the decorations so that neighbours do not touch.
  private static let spacing = 6.0

  /// The size of `figure` (a size in cells is taken as 1 to 100000 cells).
  init(figure: Figure) {
    func pixels(_ cells: Int?, _ perCell: Int, _ otherwise: Int) -> Int {
      cells.map { Swift.min(Swift.max($0, 1), 100_000) * perCell } ?? otherwise
    }
    pixelWidth = pixels(figure.width, SVGStyle.pixelsPerCell.width, SVGStyle.defaultPixels.width)
    pixelHeight = pixels(figure.height, SVGStyle.pixelsPerCell.height, SVGStyle.defaultPixels.height)
  }

  /// The room one panel's decorations need around its box, and where the panel is.
  private struct Need {
    /// The panel's 0-based grid row and column.
    let row: Int, column: Int
    /// The room its decorations need left of, below and above its box.
    let insets: (left: Double, bottom: Double, top: Double)
  }

  /// Each panel of `figure.layout`, in its order, with its axes box and decorations.
  func panels(of figure: Figure) -> [(axes: Axes, box: SVGRect, decorations: SVGAxisDecorations)] {
    let (rows, columns) = (figure.rows, figure.columns)
    let (right, defaultTop, defaultBottom) = (0.1 * width, 0.12 * height, 0.11 * height)
    // Decorations for boxes of the default size tell how much room each panel needs.
    let rough = cells(rows: rows, columns: columns, margins: (0.125 * width, right, defaultTop, defaultBottom), gaps: nil)
    let needs = figure.layout.map { panel in
      let decorations = SVGAxisDecorations(axes: panel.axes, box: rough.box(panel.row, panel.column))
      return Need(row: panel.row, column: panel.column, insets: decorations.insets)
    }
    /// The most any panel passing `filter` needs of `inset`.
    func most(_ filter: (Need) -> Bool, _ inset: (Need) -> Double) -> Double {
      needs.filter(filter).map(inset).max() ?? 0
    }
    let left = Swift.max(0.125 * width, most({ $0.column == 0 }, \.insets.left) + Self.spacing)
    let top = Swift.max(defaultTop, most({ $0.row == 0 }, \.insets.top) + Self.spacing)
    let bottom = Swift.max(defaultBottom, most({ $0.row == rows - 1 }, \.insets.bottom) + Self.spacing)
    let columnGap = Swift.max(rough.columnGap, most({ $0.column > 0 }, \.insets.left) + Self.spacing)
    let between = (0..<Swift.max(rows - 1, 0)).map { row in
      most({ $0.row == row }, \.insets.bottom) + most({ $0.row == row + 1 }, \.insets.top) + Self.spacing
    }
    let rowGap = Swift.max(rough.rowGap, between.max() ?? 0)
    let grid = cells(rows: rows, columns: columns, margins: (left, right, top, bottom), gaps: (columnGap, rowGap))
    return figure.layout.map { panel in
      let box = grid.box(panel.row, panel.column)
      return (panel.axes, box, SVGAxisDecorations(axes: panel.axes, box: box))
    }
  }

  /// Equal cells of a `rows`×`columns` grid inside the margins (left, right, top, bottom),
  /// `gaps` apart (column gap, row gap), or 20% of a cell apart when nil. A cell is at least
  /// one point on each side.
  private func cells(
    rows: Int, columns: Int, margins: (Double, Double, Double, Double), gaps: (Double, Double)?
  ) -> Grid {
    let (r, c) = (Double(rows), Double(columns))
    let (innerWidth, innerHeight) = (width - margins.0 - margins.1, height - margins.2 - margins.3)
    let columnGap = gaps?.0 ?? 0.2 * innerWidth / (c + 0.2 * (c - 1))
    let rowGap = gaps?.1 ?? 0.2 * innerHeight / (r + 0.2 * (r - 1))
    let cellWidth = Swift.max((innerWidth - (c - 1) * columnGap) / c, 1)
    let cellHeight = Swift.max((innerHeight - (r - 1) * rowGap) / r, 1)
    return Grid(origin: (margins.0, margins.2), cell: (cellWidth, cellHeight), columnGap: columnGap, rowGap: rowGap)
  }

  /// Equal cells at a fixed pitch.
  private struct Grid {
    /// The top-left corner of the first cell.
    let origin: (x: Double, y: Double)
    /// A cell's width and height.
    let cell: (width: Double, height: Double)
    /// The space between columns.
    let columnGap: Double
    /// The space between rows.
    let rowGap: Double

    /// The box of the cell at `row`, `column` (0-based, from the top left).
    func box(_ row: Int, _ column: Int) -> SVGRect {
      SVGRect(
        x: origin.x + Double(column) * (cell.width + columnGap), y: origin.y + Double(row) * (cell.height + rowGap),
        width: cell.width, height: cell.height)
    }
  }
}
