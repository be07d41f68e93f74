/// Vertical bars of fractional height drawn with the Unicode eighth blocks `▁▂▃▄▅▆▇█`
/// (U+2581…U+2588), for bar charts and histograms in the text renderer.
///
/// Heights are in character cells, measured up from the bottom row. Each bar is rounded to
/// the nearest eighth of a cell and drawn as a stack of full blocks `█` with one partial block
/// on top (`▁` is 1/8 … `▇` is 7/8); a height of 0, a negative one or NaN draws nothing, and a
/// height above ``rows`` (or infinite) fills the column. Bar `k` occupies ``barWidth``
/// columns starting at `k · (barWidth + gap)`; the columns between bars and the cells above
/// them are spaces.
struct BlockBars {
  /// Each bar's height in cells.
  let heights: [Double]
  /// The height of the drawing in cells.
  let rows: Int
  /// The width of one bar in cells (at least 1).
  let barWidth: Int
  /// The number of blank columns between two bars (at least 0).
  let gap: Int

  /// The blocks by height in eighths of a cell: index `e` (1…8) is the block `e/8` of a cell
  /// high (U+2580 + e); index 0 is a blank.
  private static let blocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// Bars of the given `heights` (in cells) in a drawing `rows` cells high, each `barWidth`
  /// cells wide with `gap` blank columns between neighbours (sizes out of range are clamped).
  init(heights: [Double], rows: Int, barWidth: Int = 1, gap: Int = 0) {
    self.heights = heights
    self.rows = max(rows, 0)
    self.barWidth = max(barWidth, 1)
    self.gap = max(gap, 0)
  }

  /// The width of the drawing in cells: the bars and the gaps between them.
  var columns: Int { heights.isEmpty ? 0 : heights.count * barWidth + (heights.count - 1) * gap }

  /// The columns bar `index` occupies.
  func columnRange(ofBar index: Int) -> Range<Int> {
    let start = index * (barWidth + gap)
    return start..<start + barWidth
  }

  /// The height of bar `index` in eighths of a cell, rounded to the nearest and clamped to
  /// `0...8·rows` (NaN counts as 0).
  private func eighths(ofBar index: Int) -> Int {
    let height = heights[index]
    guard height > 0 else { return 0 }
    return Int((min(height, Double(rows)) * 8).rounded())
  }

  /// The block in `row` (counted from the top) of a bar `eighths` eighths high.
  private func block(row: Int, eighths: Int) -> Character {
    let below = (rows - 1 - row) * 8
    return Self.blocks[min(max(eighths - below, 0), 8)]
  }

  /// The drawing as text: one string of ``columns`` characters per row, top row first.
  func lines() -> [String] {
    let levels = heights.indices.map(eighths(ofBar:))
    let gapText = String(repeating: " ", count: gap)
    return (0..<rows).map { row in
      levels.map { String(repeating: block(row: row, eighths: $0), count: barWidth) }
        .joined(separator: gapText)
    }
  }
}
