/// A figure as matplotlib's pyplot keeps one: a grid of panels (`subplot`), the current
/// panel that drawing calls go to, and an optional size, independent of how it is drawn.
///
/// The text renderer draws it for `show()`, the SVG renderer for `savefig`. A fresh figure
/// has one 1×1 panel, the current one.
struct Figure: Sendable, Equatable {
  /// The width in text columns (`figure(width=)`), or nil for the renderer's default.
  var width: Int?
  /// The height in text rows (`figure(height=)`), or nil for the renderer's default.
  var height: Int?
  /// The grid's rows.
  private(set) var rows = 1
  /// The grid's columns.
  private(set) var columns = 1
  /// The panels created so far, by 1-based index in the grid (row by row, as `plt.subplot`).
  private(set) var panels: [Int: Axes] = [1: Axes()]
  /// The index of the panel drawing calls go to.
  private(set) var current = 1

  /// A new, empty figure of the given size in text cells.
  init(width: Int? = nil, height: Int? = nil) {
    self.width = width
    self.height = height
  }

  /// Makes panel `index` of a `rows`×`columns` grid current, creating it when new, as
  /// `plt.subplot(rows, columns, index)`. A grid of another shape replaces the layout only
  /// while nothing has been drawn; otherwise it is an error (start a new figure first), so
  /// no drawing is silently dropped.
  mutating func subplot(rows: Int, columns: Int, index: Int) throws(LossLangError) {
    guard rows >= 1, columns >= 1, rows <= 16, columns <= 16 else {
      throw LossLangError(.runtime, "subplot grid \(rows)×\(columns) must have 1 to 16 rows and columns")
    }
    guard (1...rows * columns).contains(index) else {
      throw LossLangError(.runtime, "subplot index \(index) is out of range 1…\(rows * columns) for a \(rows)×\(columns) grid")
    }
    if rows != self.rows || columns != self.columns {
      guard panels.values.allSatisfy(\.isBlank) else {
        throw LossLangError(
          .runtime,
          "subplot grid \(rows)×\(columns) differs from this figure's \(self.rows)×\(self.columns); call figure() to start a new one")
      }
      (self.rows, self.columns, panels) = (rows, columns, [:])
    }
    if panels[index] == nil { panels[index] = Axes() }
    current = index
  }

  /// Applies `change` to the current panel; when it throws, the panel stays as it was.
  mutating func updateCurrent<T>(_ change: (inout Axes) throws(LossLangError) -> T) throws(LossLangError) -> T {
    var axes = panels[current] ?? Axes()
    let result = try change(&axes)
    panels[current] = axes
    return result
  }

  /// The current panel.
  var currentAxes: Axes { panels[current] ?? Axes() }

  /// The panels in grid order with their 0-based row and column.
  var layout: [(row: Int, column: Int, axes: Axes)] {
    panels.keys.sorted().compactMap { index in
      panels[index].map { ((index - 1) / columns, (index - 1) % columns, $0) }
    }
  }

  /// Whether nothing has been drawn on any panel.
  var isBlank: Bool { panels.values.allSatisfy(\.isBlank) }
}
