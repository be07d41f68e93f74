import Foundation
import Testing

@testable import LossLang

/// Golden pictures of the text renderer at small fixed sizes without colour, derived by hand.
///
/// The common setup (`panel(width: 20, height: 12)`, x limits 0…1, y limits 0…2): two rows go
/// to the x axis and its labels, leaving 10 plot rows (y `nbins` = 10 / 4 = 2, so the ticks
/// are 0, 1, 2 with labels `0 1 2`, a label column 1 wide) and 20 - 1 - 1 = 18 plot columns
/// (x `nbins` = 18 / 10 = 1, ticks 0 and 1, labels `0 1`). The braille canvas is then 36 × 40
/// dots: x value v lands on dot v · 35, y value v on dot v / 2 · 39, and a real dot coordinate
/// belongs to dot ⌊d + 0.5⌋; dot row y is cell row 9 - ⌊y / 4⌋ from the top of the plot.
/// So y = 1 is dot 19.5 → 20, in plot row 4, the bottom dot of its cells: a horizontal run
/// of dots there is `⣀` (dots 7 and 8, 0xC0) in every cell. The y axis is column 1, the plot
/// area columns 2…19; tick 0 sits in plot column 0 (column 2) and tick 1 on dot 35, plot
/// column 17 (column 19).
@Suite struct TextFigureRendererTests {
  /// An axes with the limits of the common setup and `draw` applied.
  static func axes(_ draw: (inout Axes) throws(LossLangError) -> Void) throws -> Axes {
    var axes = Axes()
    try axes.setXLimits(0, 1)
    try axes.setYLimits(0, 2)
    try draw(&axes)
    return axes
  }

  /// The lines of a one-panel figure with `axes` at `width × height`, without colour.
  static func lines(_ axes: Axes, width: Int = 20, height: Int = 12) throws -> [String] {
    var figure = Figure()
    try figure.updateCurrent { $0 = axes }
    let text = TextFigureRenderer.render(figure, width: width, height: height, colors: false)
    #expect(text.hasSuffix("\n"))
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  /// The frame of the common setup with `row4` as the plot cells of plot row 4 (y = 1).
  static func frame(row4: String) -> [String] {
    [
      "2┤",
      " │", " │", " │",
      "1┤" + row4,
      " │", " │", " │", " │",
      "0┤",
      " └┬" + String(repeating: "─", count: 16) + "┬",
      "  0" + String(repeating: " ", count: 16) + "1",
    ]
  }

  @Test func aHorizontalLineAtOne() throws {
    // Dots 0…35 of dot row 20: every one of the 18 cells of plot row 4 shows `⣀`.
    let axes = try Self.axes { a throws(LossLangError) in
      try a.add(.line(.solid), x: [0, 1], y: [1, 1], label: nil, color: nil, source: .lines)
    }
    #expect(try Self.lines(axes) == Self.frame(row4: String(repeating: "⣀", count: 18)))
  }

  @Test func emptyAxesAreTheFrameAlone() throws {
    #expect(try Self.lines(Self.axes { _ throws(LossLangError) in }) == Self.frame(row4: ""))
  }

  @Test func aNaNPointBreaksTheLine() throws {
    // x limits 0…4 (ticks 0 and 2.5 at nbins 1, labels checked elsewhere): x value v is dot
    // v / 4 · 35, so x = 1 is dot 8.75 → 9 and x = 3 dot 26.25 → 26. The segments 0–1 and
    // 3–4 light dots 0…9 (cells 0…4) and 26…35 (cells 13…17); the NaN at x = 2 leaves
    // cells 5…12 blank.
    var axes = try Self.axes { a throws(LossLangError) in
      try a.add(.line(.solid), x: [0, 1, 2, 3, 4], y: [1, 1, .nan, 1, 1], label: nil, color: nil, source: .lines)
    }
    try axes.setXLimits(0, 4)
    let lines = try Self.lines(axes)
    try #require(lines.count == 12)
    let cells = String(repeating: "⣀", count: 5)
    #expect(lines[4] == "1┤" + cells + String(repeating: " ", count: 8) + cells)
  }

  @Test func dashedAndDottedLines() throws {
    // Dashed: 3 dots of path drawn in every 8, from dot 0: dots 0–3, 8–11, 16–19, 24–27,
    // 32–35, two cells on and two off. Dotted: one dot every 2, dots 0, 2, …, 34: the left
    // bottom dot (dot 7, 0x40: `⡀`) of each cell.
    let dashed = try Self.axes { a throws(LossLangError) in
      try a.add(.line(.dashed), x: [0, 1], y: [1, 1], label: nil, color: nil, source: .lines)
    }
    let dotted = try Self.axes { a throws(LossLangError) in
      try a.add(.line(.dotted), x: [0, 1], y: [1, 1], label: nil, color: nil, source: .lines)
    }
    #expect(try Self.lines(dashed)[4] == "1┤" + Array(repeating: "⣀⣀", count: 5).joined(separator: "  "))
    #expect(try Self.lines(dotted)[4] == "1┤" + String(repeating: "⡀", count: 18))
  }

  @Test func aScatterPointIsATwoByTwoCluster() throws {
    // (0.5, 1) is dot (17.5, 19.5): the cluster is dots 17–18 across and 19–20 up. Dot 17 is
    // the right column of cell 8, dot 18 the left column of cell 9; dot row 19 is the top of
    // plot row 5, dot row 20 the bottom of plot row 4. Row 4: `⢀` (dot 8, 0x80) then `⡀`
    // (dot 7, 0x40); row 5: `⠈` (dot 4, 0x08) then `⠁` (dot 1, 0x01).
    let axes = try Self.axes { a throws(LossLangError) in
      try a.add(.scatter, x: [0.5], y: [1], label: nil, color: nil, source: .patches)
    }
    let lines = try Self.lines(axes)
    try #require(lines.count == 12)
    #expect(lines[4] == "1┤" + String(repeating: " ", count: 8) + "⢀⡀")
    #expect(lines[5] == " │" + String(repeating: " ", count: 8) + "⠈⠁")
  }

  @Test func gridDotsAtTheTicks() throws {
    // Grid dots every 4 dots along each tick's line. Along y = 1 (dot row 20, the bottom of
    // plot row 4): dots 0, 4, …, 32, the left bottom dot `⡀` of cells 0, 2, …, 16. The x
    // tick 1 at dot 35 adds its dot at dot row 20 (a multiple of 4): the right bottom dot
    // `⢀` of cell 17.
    var axes = try Self.axes { _ throws(LossLangError) in }
    axes.grid = true
    let expected = Array(repeating: "⡀", count: 9).joined(separator: " ") + "⢀"
    #expect(try Self.lines(axes)[4] == "1┤" + expected)
  }

  @Test func theDiagonalWithTitleAndLabels() throws {
    // 10 × 9 with a title, a y label and an x label: 9 - 1 - 1 - 3 = 4 plot rows (y nbins 1:
    // ticks 0 and 1) and 10 - 2 = 8 plot columns (x nbins 1: ticks 0 and 1), 16 × 16 dots,
    // so the diagonal from (0, 0) to (1, 1) lights dots (i, i), i = 0…15. Cell column c holds
    // dots 2c and 2c + 1 in cell row ⌊c / 2⌋ from the bottom: for even c the left bottom and
    // right third dots (7 and 6: 0x60, `⡠`), for odd c the left second and right top dots
    // (2 and 4: 0x0A, `⠊`). Tick 1 is dot 15, plot column 7. The title is centred over the
    // plot area (columns 2…9): 4 characters start at 2 + (8 - 4) / 2 = 4; the x label at
    // 2 + (8 - 1) / 2 = 5; the y label starts the line above the plot.
    var axes = Axes()
    try axes.setXLimits(0, 1)
    try axes.setYLimits(0, 1)
    try axes.add(.line(.solid), x: [0, 1], y: [0, 1], label: nil, color: nil, source: .lines)
    (axes.title, axes.xlabel, axes.ylabel) = ("diag", "x", "y")
    let expected = [
      "    diag",
      "y",
      "1┤      ⡠⠊",
      " │    ⡠⠊",
      " │  ⡠⠊",
      "0┤⡠⠊",
      " └┬──────┬",
      "  0      1",
      "     x",
    ]
    #expect(try Self.lines(axes, width: 10, height: 9) == expected)
  }

  @Test func barHeightsInEighths() throws {
    // 7 × 6: 4 plot rows; y limits 0…15 give ticks 0 and 10 (nbins 1), a label column 2
    // wide, so 7 - 3 = 4 plot columns (columns 3…6) and 8 × 16 dots. y value v is dot v
    // (15 / 15 per unit) and a bar top is (v + 0.5) / 4 cells above the bottom edge, from
    // the baseline 0 at 0.5 / 4 → cell boundary 0. Heights 1, 3.5, 7, 15 are 1.5/4, 4/4,
    // 7.5/4, 15.5/4 cells = 3, 8, 15, 31 eighths: `▃`; `█`; `█` under `▇`; three `█` under
    // `▇`. x limits 0…4: bar i spans dots 1.75·i … 1.75·(i + 1), which holds the centre
    // 2i + 0.5 of cell column i only.
    var axes = Axes()
    try axes.setXLimits(0, 4)
    try axes.setYLimits(0, 15)
    try axes.add(.bars(widths: [1, 1, 1, 1]), x: [0, 1, 2, 3], y: [1, 3.5, 7, 15], label: nil, color: nil, source: .patches)
    let lines = try Self.lines(axes, width: 7, height: 6)
    try #require(lines.count == 6)
    let plot = lines[0..<4].map { String($0.dropFirst(3)) }
    #expect(plot == ["   ▇", "   █", "  ▇█", "▃███"])
  }
}

extension TextFigureRendererTests {
  @Test func reversedXLimitsMirrorThePicture() throws {
    // The diagonal's setup (8 × 4 plot cells, 16 × 16 dots) with x limits 1…0: x value v is
    // dot (1 - v) · 15, so the line from (0, 0) to (1, 1) lights dots (15 - i, i). Cell
    // column c holds x dots 2c and 2c + 1 at y 15 - 2c and 14 - 2c, in cell row 3 - ⌊c / 2⌋
    // from the bottom: for even c the left top and right second dots (1 and 5: 0x11, `⠑`),
    // for odd c the left third and right bottom dots (3 and 8: 0x84, `⢄`). The x tick 1 is
    // now at the left (dot 0, column 2) and 0 at the right (dot 15, plot column 7).
    var axes = Axes()
    try axes.setXLimits(1, 0)
    try axes.setYLimits(0, 1)
    try axes.add(.line(.solid), x: [0, 1], y: [0, 1], label: nil, color: nil, source: .lines)
    let expected = [
      "1┤⠑⢄",
      " │  ⠑⢄",
      " │    ⠑⢄",
      "0┤      ⠑⢄",
      " └┬──────┬",
      "  1      0",
    ]
    #expect(try Self.lines(axes, width: 10, height: 6) == expected)
  }

  @Test func controlCharactersInTextsBecomeSpaces() throws {
    // A title with a newline and an escape stays on its one row, with no escape code.
    var axes = Axes()
    axes.title = "a\nb\u{1B}[31mc"
    let lines = try Self.lines(axes, width: 20, height: 8)
    try #require(lines.count == 8)
    #expect(lines[0].trimmingCharacters(in: .whitespaces) == "a b [31mc")
  }
}

extension TextFigureRendererTests {
  @Test func barsBelowTheBaselineInWholeCells() throws {
    // 8 × 6: y limits -15…0 give ticks -10 and 0 (a label column 3 wide), 4 plot columns
    // and rows, 8 × 16 dots; y value v is dot v + 15 and its top (v + 15.5) / 4 cells up.
    // The baseline 0 is 15.5 / 4 = 3.875 → boundary 4 (the top); a bar down to v is
    // round(4 - (v + 15.5) / 4) whole cells: -1 → round(0.375) = 0, -7 → round(1.875) = 2,
    // -15 → round(3.875) = 4, -3.5 → 1. x limits 0…4 put bar i in plot column i.
    var axes = Axes()
    try axes.setXLimits(0, 4)
    try axes.setYLimits(-15, 0)
    try axes.add(.bars(widths: [1, 1, 1, 1]), x: [0, 1, 2, 3], y: [-1, -7, -15, -3.5], label: nil, color: nil, source: .patches)
    let lines = try Self.lines(axes, width: 8, height: 6)
    try #require(lines.count == 6)
    #expect(lines[0..<4].map { String($0.dropFirst(4)) } == [" ███", " ██", "  █", "  █"])
  }
}

extension TextFigureRendererTests {
  @Test func brailleWinsOverBlocksAndBlocksOverGrid() throws {
    // A bar over the whole x range, 2 high: its top is dot 39, (39 + 0.5) / 4 = 9.875 cells,
    // so plot rows 1…9 are full blocks. The line y = 1 crosses plot row 4: there every
    // cell shows the line's `⣀`, not the block; below it, row 5 stays blocks; the grid (on)
    // shows nowhere under the bar.
    var axes = try Self.axes { a throws(LossLangError) in
      try a.add(.bars(widths: [1]), x: [0], y: [2], label: nil, color: nil, source: .patches)
      try a.add(.line(.solid), x: [0, 1], y: [1, 1], label: nil, color: nil, source: .lines)
    }
    axes.grid = true
    let lines = try Self.lines(axes)
    try #require(lines.count == 12)
    #expect(lines[4] == "1┤" + String(repeating: "⣀", count: 18))
    #expect(lines[5] == " │" + String(repeating: "█", count: 18))
    #expect(lines[9] == "0┤" + String(repeating: "█", count: 18))
  }
}
