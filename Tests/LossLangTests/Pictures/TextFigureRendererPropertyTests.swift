import Foundation
import Testing

@testable import LossLang

/// Properties of the text renderer that hold at any size: line widths, tick labels from the
/// model, colours, legends, texts and subplots.
@Suite struct TextFigureRendererPropertyTests {
  /// A figure whose one panel is `axes`.
  static func figure(_ axes: Axes) throws -> Figure {
    var figure = Figure()
    try figure.updateCurrent { $0 = axes }
    return figure
  }

  /// The lines of `figure` without colour.
  static func lines(_ figure: Figure, width: Int = 80, height: Int? = nil) -> [String] {
    TextFigureRenderer.render(figure, width: width, height: height, colors: false)
      .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  /// An axes with two labelled series and a title, its data from `seed`.
  static func busyAxes(seed: UInt64) throws -> Axes {
    var axes = Axes()
    let x = (0..<30).map(Double.init)
    try axes.add(.line(.solid), x: x, y: SeededGenerator.values(30, -1e7, 1e7, seed: seed), label: "a rather long label", color: nil, source: .lines)
    try axes.add(.scatter, x: x, y: SeededGenerator.values(30, seed: seed + 1), label: "points", color: nil, source: .patches)
    try axes.add(.bars(widths: Array(repeating: 0.8, count: 5)), x: [0, 5, 10, 15, 20], y: [1, 2e6, 3, 4e6, 5], label: nil, color: nil, source: .patches)
    (axes.title, axes.xlabel, axes.ylabel) = ("A title much longer than a narrow panel", "the x axis", "the y axis")
    axes.grid = true
    return axes
  }

  @Test(arguments: [1, 2, 5, 9, 13, 20, 33, 47, 80, 123])
  func noLineIsWiderThanTheWidth(width: Int) throws {
    let figure = try Self.figure(Self.busyAxes(seed: UInt64(width)))
    for colors in [false, true] {
      let text = TextFigureRenderer.render(figure, width: width, height: nil, colors: colors)
      let visible = colors ? text.replacing(/\x1B\[[0-9;]*m/, with: "") : text
      let lines = visible.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
      #expect(lines.count == TextFigureRenderer.defaultHeight(width: width, rows: 1))
      #expect(lines.allSatisfy { $0.count <= width }, "width \(width), colours \(colors)")
    }
    var grid = Figure()
    for index in [1, 5] {
      try grid.subplot(rows: 2, columns: 3, index: index)
      let axes = try Self.busyAxes(seed: UInt64(index))
      try grid.updateCurrent { $0 = axes }
    }
    #expect(Self.lines(grid, width: width).allSatisfy { $0.count <= width })
  }

  @Test func defaultHeightSuitsAnEightyColumnTerminal() {
    // round(0.3 · 80) = 24; two rows of panels get round(2 · 24 / 3) = 16 each, plus one gap.
    #expect(TextFigureRenderer.defaultHeight(width: 80, rows: 1) == 24)
    #expect(TextFigureRenderer.defaultHeight(width: 80, rows: 2) == 33)
    #expect(TextFigureRenderer.defaultHeight(width: 20, rows: 1) == 12)
    #expect(TextFigureRenderer.defaultHeight(width: 300, rows: 1) == 40)
  }

  @Test func tickLabelsAreTheModels() throws {
    var axes = Axes()
    let x = (0...20).map { Double($0) / 2 }
    try axes.add(.line(.solid), x: x, y: x.map { $0 * $0 }, label: nil, color: nil, source: .lines)
    let lines = Self.lines(try Self.figure(axes))
    // Y labels: what stands left of each `┤`, top to bottom; x labels: the words of the line
    // under the axis line `└`.
    let yLabels = lines.compactMap { line in
      line.firstIndex(of: "┤").map { line[..<$0].trimmingCharacters(in: .whitespaces) }
    }
    let axisRow = try #require(lines.firstIndex { $0.contains("└") })
    let xLabels = lines[axisRow + 1].split(separator: " ").map(String.init)
    let layout = PanelLayout(axes, width: 80, height: 24)
    #expect(yLabels == axes.yTicks(nbins: PanelLayout.bins(layout.plotRows, perBin: 4)).labels.reversed())
    #expect(xLabels == axes.xTicks(nbins: PanelLayout.bins(layout.plotColumns, perBin: 10)).labels)
    #expect(yLabels.count >= 4 && xLabels.count >= 5, "an 80 × 24 panel has room for several ticks")
  }

  @Test func anEmptyFigureIsEmptyAxesZeroToOne() {
    let lines = Self.lines(Figure())
    #expect(lines.count == 24)
    #expect(lines.first { $0.contains("┤") }?.hasPrefix("1.0┤") == true, "the top y tick is 1.0")
    #expect(lines.last?.hasSuffix("1.0") == true, "the last x tick is 1.0")
    #expect(lines.contains { $0.hasPrefix("0.0┤") })
  }

  @Test func coloursOnlyWhenAsked() throws {
    var axes = Axes()
    try axes.add(.line(.solid), x: [0, 1, 2], y: [0, 1, 0], label: "up", color: nil, source: .lines)
    let figure = try Self.figure(axes)
    let plain = TextFigureRenderer.render(figure, width: 40, height: 12, colors: false)
    let coloured = TextFigureRenderer.render(figure, width: 40, height: 12, colors: true)
    #expect(!plain.contains("\u{1B}"))
    #expect(coloured.contains("\u{1B}[38;2;31;119;180m"), "C0 is #1f77b4")
    #expect(coloured.replacing(/\x1B\[[0-9;]*m/, with: "") == plain, "the same text under the codes")
    // Tick labels and the frame are not coloured: no code before a `┤` on its line.
    for line in coloured.split(separator: "\n") where line.contains("┤") {
      let head = line[..<(line.firstIndex(of: "┤") ?? line.endIndex)]
      #expect(!head.contains("\u{1B}"))
    }
  }

  @Test func theLegendShowsEachLabelOnce() throws {
    var axes = Axes()
    try axes.add(.line(.solid), x: [0, 1], y: [0, 1], label: "alpha", color: nil, source: .lines)
    try axes.add(.line(.dashed), x: [0, 1], y: [1, 0], label: "beta", color: nil, source: .lines)
    try axes.add(.line(.solid), x: [0, 1], y: [0.5, 0.5], label: nil, color: nil, source: .lines)
    try axes.add(.bars(widths: [0.2]), x: [0.4], y: [0.3], label: "gamma", color: nil, source: .patches)
    let text = Self.lines(try Self.figure(axes), width: 60).joined(separator: "\n")
    for (label, sample) in [("alpha", "──"), ("beta", "╌╌"), ("gamma", "██")] {
      #expect(text.ranges(of: label).count == 1, "\(label) once")
      #expect(text.contains(sample + " " + label), "\(label) after its sample")
    }
  }

  @Test func theLegendTakesTheEmptiestCorner() throws {
    // Data only in the upper right quarter: the legend goes to the upper left.
    var axes = Axes()
    try axes.setXLimits(0, 1)
    try axes.setYLimits(0, 1)
    try axes.add(.line(.solid), x: [0.6, 1], y: [1, 1], label: "top", color: nil, source: .lines)
    let lines = Self.lines(try Self.figure(axes), width: 40, height: 12)
    let row = try #require(lines.first { $0.contains("top") })
    #expect(row.contains("┤── top") || row.contains("│── top"), "at the plot area's left edge: \(row)")
  }

  @Test func titleAndLabelsAreShownAndLongOnesCut() throws {
    var axes = Axes()
    (axes.title, axes.xlabel, axes.ylabel) = ("loss", "residual", "value")
    let lines = Self.lines(try Self.figure(axes), width: 40, height: 14)
    #expect(lines.first?.trimmingCharacters(in: .whitespaces) == "loss")
    #expect(lines[1].hasPrefix("value"))
    #expect(lines.last?.trimmingCharacters(in: .whitespaces) == "residual")
    axes.title = String(repeating: "t", count: 50)
    let cut = Self.lines(try Self.figure(axes), width: 40, height: 14)
    #expect(cut.first == String(repeating: "t", count: 39) + "…")
  }

  @Test func aMultiplierAtTheAxisEnds() throws {
    var axes = Axes()
    try axes.add(.line(.solid), x: [0, 2e7], y: [0, 3e-6], label: nil, color: nil, source: .lines)
    let lines = Self.lines(try Self.figure(axes), width: 60, height: 16)
    let axisRow = try #require(lines.firstIndex { $0.contains("└") })
    #expect(lines[axisRow + 1].hasSuffix("1e7"), "x multiplier at the right end")
    #expect(lines[0].contains("1e-6"), "y multiplier above the y axis")
  }

  @Test func logAxisLabelsAreDecades() throws {
    var axes = Axes()
    try axes.setYScale(.log)
    try axes.add(.line(.solid), x: [0, 1, 2], y: [1, 10, 100], label: nil, color: nil, source: .lines)
    let labels = Self.lines(try Self.figure(axes), width: 40, height: 16).compactMap { line in
      line.firstIndex(of: "┤").map { line[..<$0].trimmingCharacters(in: .whitespaces) }
    }
    #expect(labels == ["10²", "10¹", "10⁰"])
  }

  @Test func barsOnALogAxisRiseFromTheBottom() throws {
    var axes = Axes()
    try axes.setYScale(.log)
    try axes.setYLimits(1, 100)
    try axes.setXLimits(0, 1)
    try axes.add(.bars(widths: [1]), x: [0], y: [10], label: nil, color: nil, source: .patches)
    let lines = Self.lines(try Self.figure(axes), width: 20, height: 10)
    let axisRow = try #require(lines.firstIndex { $0.contains("└") })
    // 10 is half way up 1…100 in log10: about half the 8 plot rows are full blocks from the
    // row just above the axis.
    #expect(lines[axisRow - 1].contains("█"))
    let filled = lines[..<axisRow].count { $0.contains("█") }
    #expect((3...5).contains(filled))
  }

  @Test func subplotsSideBySideAndStacked() throws {
    var figure = Figure()
    try figure.subplot(rows: 1, columns: 2, index: 1)
    try figure.updateCurrent { $0.title = "left" }
    try figure.subplot(rows: 1, columns: 2, index: 2)
    try figure.updateCurrent { $0.title = "right" }
    let side = Self.lines(figure, width: 62, height: 12)
    // Panels 30 columns wide with 2 between them: the right one starts at column 32.
    let titles = try #require(side.first)
    let left = try #require(titles.range(of: "left")), right = try #require(titles.range(of: "right"))
    #expect(titles.distance(from: titles.startIndex, to: left.lowerBound) < 30)
    #expect(titles.distance(from: titles.startIndex, to: right.lowerBound) >= 32)
    let axisLine = try #require(side.first { $0.contains("└") })
    #expect(axisLine.count { $0 == "└" } == 2, "both panels' axes on one row")

    var stacked = Figure()
    try stacked.subplot(rows: 2, columns: 1, index: 1)
    try stacked.updateCurrent { $0.title = "top" }
    try stacked.subplot(rows: 2, columns: 1, index: 2)
    try stacked.updateCurrent { $0.title = "bottom" }
    let lines = Self.lines(stacked, width: 40, height: 25)
    // Panels 12 rows high with one blank row between: the second title is on row 13.
    #expect(lines[0].trimmingCharacters(in: .whitespaces) == "top")
    #expect(lines[12] == "")
    #expect(lines[13].trimmingCharacters(in: .whitespaces) == "bottom")
  }

  @Test func panelsNotCreatedStayBlank() throws {
    var figure = Figure()
    try figure.subplot(rows: 2, columns: 2, index: 1)
    let lines = Self.lines(figure, width: 42, height: 25)
    // Only the top-left panel (20 × 12) is drawn: nothing right of it, nothing below it.
    #expect(lines.allSatisfy { $0.count <= 20 })
    #expect(lines[12...].allSatisfy { $0.isEmpty })
    #expect(lines[..<12].contains { $0.contains("└") })
  }
}

extension TextFigureRendererPropertyTests {
  @Test func sizesOutsideTheRangeAreHandled() {
    #expect(TextFigureRenderer.render(Figure(), width: 0, height: nil, colors: false) == "")
    #expect(TextFigureRenderer.render(Figure(), width: 30, height: -3, colors: false) == "")
    let huge = Self.lines(Figure(), width: Int.max, height: Int.max)
    #expect(huge.count == TextFigureRenderer.largestSide)
    #expect(huge.allSatisfy { $0.count <= TextFigureRenderer.largestSide })
  }
}
