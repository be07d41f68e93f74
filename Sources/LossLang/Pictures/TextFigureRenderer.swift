/// Draws a ``Figure`` as text for `show()`: braille lines and points, block bars, axes with
/// tick labels, titles, axis labels and legends, optionally in ANSI colours.
///
/// The figure's `rows × columns` grid splits the width and height evenly, with 2 blank
/// columns between panels side by side and 1 blank row between panels stacked; panels not
/// created stay blank (a fresh figure's one panel is empty axes 0…1, as matplotlib's).
/// Each panel is drawn by ``TextPanel``. Lines have no trailing blanks.
enum TextFigureRenderer {
  /// Blank columns between panels side by side.
  static let columnGap = 2
  /// Blank rows between panels one above the other.
  static let rowGap = 1
  /// The most columns or rows drawn, whatever the caller asks for (a million cells at most).
  static let largestSide = 1000

  /// `figure` as text `width` columns wide (the caller passes `figure.width`, else the
  /// terminal's width, else 80) and `height` rows high (nil: ``defaultHeight(width:rows:)``):
  /// the lines joined by `"\n"` with a trailing `"\n"`, none longer than `width` characters
  /// (braille and block characters are one column each). `colors` wraps each run of cells of
  /// one series colour in ANSI 24-bit colour codes (``ANSIColor``); when false the text has
  /// no escape codes. A width or height below 1 gives the empty text; one above
  /// ``largestSide`` is taken as ``largestSide``.
  static func render(_ figure: Figure, width: Int, height: Int?, colors: Bool) -> String {
    let width = min(width, largestSide)
    let height = min(height ?? defaultHeight(width: width, rows: figure.rows), largestSide)
    guard width > 0, height > 0 else { return "" }
    let panelWidth = max(1, (width - columnGap * (figure.columns - 1)) / figure.columns)
    let panelHeight = max(1, (height - rowGap * (figure.rows - 1)) / figure.rows)
    var canvas = CellGrid(width: width, height: height)
    for (row, column, axes) in figure.layout {
      let panel = TextPanel.render(axes, width: panelWidth, height: panelHeight)
      canvas.paste(panel, column: column * (panelWidth + columnGap), row: row * (panelHeight + rowGap))
    }
    return canvas.lines(colors: colors).map { $0 + "\n" }.joined()
  }

  /// The height when the figure sets none: for one row of panels `round(0.3 · width)`
  /// clamped to 12…40 (24 rows in an 80-column terminal); with `rows` rows of panels, each
  /// gets `max(12, round(2h / (rows + 1)))` of that `h`, plus the gaps between them.
  static func defaultHeight(width: Int, rows: Int) -> Int {
    let single = min(max(Int((0.3 * Double(width)).rounded()), 12), 40)
    guard rows > 1 else { return single }
    let each = max(12, Int((2 * Double(single) / Double(rows + 1)).rounded()))
    return rows * each + rowGap * (rows - 1)
  }
}
