import Testing

@testable import LossLang

/// The figure model: histograms and colours against numpy and matplotlib, and the checks
/// that keep a figure unchanged when a call is refused.
@Suite struct FigureModelTests {
  /// `Histogram` against `numpy.histogram` (NaN and infinities are left out first).
  @Test(arguments: 0..<(FigureModelFixture.shared?.histograms.count ?? 1))
  func histogramMatchesNumpy(_ index: Int) throws {
    let cases = try FigureModelFixture.load().histograms
    let c = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let values = c.values.map { $0 ?? .nan }
    let histogram = try #require(Histogram(values, bins: c.bins))
    #expect(Tolerance(rtol: 1e-12).mismatch(histogram.edges, c.edges) == nil, "\(c.name) bins=\(c.bins) edges")
    #expect(histogram.counts == c.counts, "\(c.name) bins=\(c.bins) counts")
  }

  @Test func histogramNeedsAFiniteValue() {
    #expect(Histogram([.nan, .infinity], bins: 10) == nil)
    #expect(Histogram([], bins: 10) == nil)
  }

  /// Every colour name LossLang accepts resolves to matplotlib's hex value.
  @Test func colourNamesMatchMatplotlib() throws {
    let colors = try FigureModelFixture.load().colors
    try #require(!colors.isEmpty)
    for c in colors { #expect(try NamedColor.hex(c.name) == c.hex, "\(c.name)") }
    #expect(throws: LossLangError.self) { try NamedColor.hex("#12345") }
    #expect(throws: LossLangError.self) { try NamedColor.hex("#１２３４５６") }
    #expect(throws: LossLangError.self) { try NamedColor.hex("C10") }
    #expect(throws: LossLangError.self) { try NamedColor.hex("tab:teal") }
  }

  /// plot and hist share the line cycle, scatter and bar the patch cycle, reference lines
  /// are C0: the colours matplotlib gives the same sequence of calls.
  @Test func seriesColoursFollowMatplotlibsCycles() throws {
    let cycles = try FigureModelFixture.load().cycles
    var axes = Axes()
    var got: [String] = []
    for call in cycles.calls {
      let (mark, x, y, source): (Series.Mark, [Double], [Double], Axes.ColorSource) =
        switch call {
        case "plot": (.line(.solid), [0, 1], [0, 1], .lines)
        case "scatter": (.scatter, [0, 1], [0, 1], .patches)
        case "bar": (.bars(widths: [0.8, 0.8]), [-0.4, 0.6], [1, 2], .patches)
        case "hist": (.bars(widths: [1]), [0], [3], .lines)
        case "axvline": (.verticalLine(.dashed), [0.5], [], .fixed)
        default: (.horizontalLine(.dashed), [], [0.5], .fixed)
        }
      try axes.add(mark, x: x, y: y, label: nil, color: nil, source: source)
      got.append(try #require(axes.series.last).color)
    }
    #expect(got == cycles.colors)
  }

  @Test func refusedSeriesLeaveTheAxesAsTheyWere() throws {
    var axes = Axes()
    try axes.add(.line(.solid), x: [1, 2], y: [3, 4], label: "a", color: nil, source: .lines)
    let before = axes
    #expect(throws: LossLangError.self) { try axes.add(.line(.solid), x: [1, 2, 3], y: [1, 2], label: nil, color: nil, source: .lines) }
    #expect(throws: LossLangError.self) { try axes.add(.scatter, x: [], y: [], label: nil, color: nil, source: .patches) }
    #expect(throws: LossLangError.self) { try axes.add(.line(.solid), x: [1, 2], y: [.nan, .infinity], label: nil, color: nil, source: .lines) }
    #expect(throws: LossLangError.self) { try axes.add(.line(.solid), x: [1], y: [1], label: nil, color: "chartreuse-ish", source: .lines) }
    #expect(throws: LossLangError.self) { try axes.add(.verticalLine(.dashed), x: [.nan], y: [], label: nil, color: nil, source: .fixed) }
    #expect(axes == before)
    // The colour cycle did not advance either: the next line is still C1.
    try axes.add(.line(.solid), x: [1], y: [1], label: nil, color: nil, source: .lines)
    #expect(axes.series.last?.color == ColorCycle.color(at: 1))
  }

  @Test func nonFinitePointsAreCountedAndKept() throws {
    var axes = Axes()
    let skipped = try axes.add(.line(.solid), x: [0, 1, 2, 3], y: [1, .nan, 2, .infinity], label: nil, color: nil, source: .lines)
    #expect(skipped == 2)
    #expect(axes.yView == AxisLimits.autoscaled([1, 2], scale: .linear))
  }

  @Test func logScaleRefusesNonPositiveData() throws {
    var axes = Axes()
    try axes.add(.line(.solid), x: [0, 1], y: [0, 1], label: nil, color: nil, source: .lines)
    #expect(throws: LossLangError.self) { try axes.setYScale(.log) }
    #expect(axes.yscale == .linear)
    var positive = Axes()
    try positive.setYScale(.log)
    #expect(throws: LossLangError.self) { try positive.add(.scatter, x: [1], y: [-2], label: nil, color: nil, source: .patches) }
    #expect(throws: LossLangError.self) { try positive.setYLimits(0, 1) }
    try positive.setYLimits(0.1, 1)
    try positive.add(.bars(widths: [1]), x: [0], y: [5], label: nil, color: nil, source: .patches)
    #expect(positive.yView.lower > 0)
    // A histogram's empty bins (height 0) draw nothing on a log axis, as in matplotlib.
    var histogram = Axes()
    try histogram.add(.bars(widths: [1, 1, 1]), x: [0, 1, 2], y: [4, 0, 1], label: nil, color: nil, source: .lines)
    try histogram.setYScale(.log)
    #expect(histogram.yView == AxisLimits.autoscaled([4, 1], scale: .log))
    #expect(throws: LossLangError.self) { try histogram.add(.bars(widths: [1]), x: [3], y: [-1], label: nil, color: nil, source: .lines) }
    var limited = Axes()
    try limited.setYLimits(-1, 1)
    #expect(throws: LossLangError.self) { try limited.setYScale(.log) }
  }

  @Test func barsAutoscaleFromZeroOnALinearAxis() throws {
    var axes = Axes()
    try axes.add(.bars(widths: [0.8, 0.8]), x: [-0.4, 0.6], y: [2, 3], label: nil, color: nil, source: .patches)
    #expect(axes.yView == AxisLimits.autoscaled([0, 2, 3], scale: .linear))
    #expect(axes.xView == AxisLimits.autoscaled([-0.4, 0.6, 0.4, 1.4], scale: .linear))
    axes.setCategories(["a", "b"])
    let ticks = axes.xTicks(nbins: 5)
    #expect(ticks.values == [0, 1] && ticks.labels == ["a", "b"])
  }

  @Test func subplotSelectsPanelsAndRefusesWhatWouldDropDrawing() throws {
    var figure = Figure()
    try figure.subplot(rows: 2, columns: 1, index: 2)
    #expect(figure.current == 2)
    try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in axes.title = "lower" }
    try figure.subplot(rows: 2, columns: 1, index: 1)
    try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
      try axes.add(.line(.solid), x: [0], y: [0], label: nil, color: nil, source: .lines)
    }
    let before = figure
    #expect(throws: LossLangError.self) { try figure.subplot(rows: 2, columns: 1, index: 3) }
    #expect(throws: LossLangError.self) { try figure.subplot(rows: 2, columns: 1, index: 0) }
    #expect(throws: LossLangError.self) { try figure.subplot(rows: 1, columns: 2, index: 1) }
    #expect(throws: LossLangError.self) { try figure.subplot(rows: 0, columns: 2, index: 1) }
    #expect(figure == before)
    #expect(figure.layout.map { [$0.row, $0.column] } == [[0, 0], [1, 0]])
    #expect(figure.layout[1].axes.title == "lower")
  }

  @Test func aFailedChangeLeavesTheCurrentPanelAsItWas() throws {
    var figure = Figure()
    try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in axes.title = "kept" }
    let before = figure
    #expect(throws: LossLangError.self) {
      try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
        axes.title = "changed"
        try axes.setXLimits(.nan, 1)
      }
    }
    #expect(figure == before)
  }

  @Test func lineStylesAreMatplotlibFormatStrings() throws {
    #expect(try LineStyle.parse("--") == .dashed)
    #expect(try LineStyle.parse("o") == .markers)
    #expect(throws: LossLangError.self) { try LineStyle.parse("-.") }
  }
}
