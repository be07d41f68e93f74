import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import LossLang

/// The marks of the SVG renderer: line runs broken at NaN, bars and histograms, log axes,
/// reference lines, clipping, grid lines and subplots.
@Suite struct SVGMarksTests {
  /// The default axes box (matplotlib's subplot parameters on 460.8×345.6 points).
  static let box = SVGRect(x: 57.6, y: 41.472, width: 357.12, height: 266.112)

  /// The numbers in a path's `d`, in order.
  static func numbers(_ d: String) -> [Double] {
    d.split { "MLHV ".contains($0) }.compactMap { Double($0) }
  }

  /// The series groups of the figure drawn.
  static func seriesGroups(_ figure: Figure) throws -> [XMLElement] {
    try ParsedSVG(SVGFigureRenderer.render(figure)).elements(class: "series")
  }

  /// NaN and infinite points are skipped and end the run; a run of one point draws nothing
  /// (as matplotlib's solid line).
  @Test func nonFinitePointsBreakTheLine() throws {
    let figure = try SVGFigureRendererTests.figure([
      (.line(.solid), [0, 1, 2, 3, 4, 5], [0, 1, .nan, 3, 4, 5], nil),
      (.line(.dashed), [0, 1, 2, 3, 4, 5], [0, .infinity, 2, .nan, 4, 5], nil),
    ])
    let groups = try Self.seriesGroups(figure)
    try #require(groups.count == 2)
    let first = groups[0].descendants(named: "path").compactMap { $0.value("d") }
    #expect(first.count == 2)
    #expect(first.map { Self.numbers($0).count } == [4, 6])  // 2 and 3 points
    #expect(first.allSatisfy { $0.hasPrefix("M") && $0.filter { $0 == "M" }.count == 1 })
    // Runs [0], [2], [4, 5]: only the last has a segment.
    #expect(groups[1].descendants(named: "path").count == 1)
  }

  /// A point far outside the view is clipped away: no coordinate strays more than the
  /// overhang (10 pt) beyond the axes box, and the line still reaches the box's edge.
  @Test func farPointsAreClipped() throws {
    let figure = try SVGFigureRendererTests.figure([(.line(.solid), [0, 1, 2, 3], [0, 1, 1e300, 0.5], nil)]) { axes in
      try axes.setYLimits(0, 2)
    }
    let paths = try Self.seriesGroups(figure).first.map { $0.descendants(named: "path") } ?? []
    let values = paths.compactMap { $0.value("d") }.flatMap(Self.numbers)
    try #require(!values.isEmpty)
    let (xs, ys) = (stride(from: 0, to: values.count, by: 2).map { values[$0] }, stride(from: 1, to: values.count, by: 2).map { values[$0] })
    #expect(xs.allSatisfy { $0 >= Self.box.x - 10.01 && $0 <= Self.box.maxX + 10.01 })
    #expect(ys.allSatisfy { $0 >= Self.box.y - 10.01 && $0 <= Self.box.maxY + 10.01 })
    #expect(ys.contains { abs($0 - (Self.box.y - 10)) < 0.01 })
    // The data are drawn inside a clip path of the axes box.
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let data = try svg.element(class: "data")
    let id = try #require(data.value("clip-path")).dropFirst(5).dropLast()
    let clip = try #require(svg.root.descendants(named: "clipPath").first { $0.value("id") == String(id) })
    let rect = try #require(clip.descendants(named: "rect").first)
    #expect(SVGFigureRendererTests.close(rect.number("x"), Self.box.x) && SVGFigureRendererTests.close(rect.number("width"), Self.box.width))
  }

  /// `bar`: one rect per bar from 0 to its height, category names as the x tick labels.
  @Test func barsAreOneRectEachFromZero() throws {
    var figure = Figure()
    try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
      try axes.add(.bars(widths: [0.8, 0.8, 0.8]), x: [-0.4, 0.6, 1.6], y: [1, 3, 2], label: nil, color: nil, source: .patches)
      axes.setCategories(["mse", "l1", "huber"])
    }
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let rects = try #require(svg.elements(class: "series").first).descendants(named: "rect")
    try #require(rects.count == 3)
    let xTexts = svg.elements(class: "xtick").compactMap { $0.descendants(named: "text").first?.text }
    #expect(xTexts == ["mse", "l1", "huber"])
    let view = figure.currentAxes.yView
    let y = { (v: Double) in Self.box.maxY - (v - view.lower) / (view.upper - view.lower) * Self.box.height }
    for (rect, height) in zip(rects, [1.0, 3, 2]) {
      #expect(SVGFigureRendererTests.close(rect.number("y"), y(height)), "\(height)")
      #expect(SVGFigureRendererTests.close(rect.number("height"), y(0) - y(height)), "\(height)")
    }
  }

  /// A histogram of 10 bins is 10 rects, an empty bin included, side by side.
  @Test func aHistogramIsOneRectPerBin() throws {
    let histogram = try #require(Histogram([0, 0.5, 1, 1, 2, 9, 9.5, 10], bins: 10))
    let widths = zip(histogram.edges.dropFirst(), histogram.edges).map { $0 - $1 }
    let figure = try SVGFigureRendererTests.figure([(.bars(widths: widths), Array(histogram.edges.dropLast()), histogram.counts, "hist")])
    let rects = try #require(Self.seriesGroups(figure).first).descendants(named: "rect")
    try #require(rects.count == 10)
    for (left, right) in zip(rects, rects.dropFirst()) {
      let end = try #require(left.number("x")) + #require(left.number("width"))
      #expect(SVGFigureRendererTests.close(right.number("x"), end))
    }
    #expect(rects.map { $0.number("height") == 0 } == histogram.counts.map { $0 == 0 })
  }

  /// On a log axis decades are equally spaced, the labels are the model's, and bars stand on
  /// the bottom of the view.
  @Test func logAxis() throws {
    let figure = try SVGFigureRendererTests.figure([(.bars(widths: [0.8, 0.8]), [-0.4, 0.6], [10, 1000], nil)]) { axes in
      try axes.setYScale(.log)
    }
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let ticks = svg.elements(class: "ytick")
    let labels = ticks.compactMap { $0.descendants(named: "text").first?.text }
    #expect(labels == figure.currentAxes.yTicks(nbins: 9).labels)
    #expect(labels.contains("10²"))
    let positions = ticks.compactMap { $0.descendants(named: "line").first?.number("y1") }
    try #require(positions.count >= 3)
    let steps = zip(positions, positions.dropFirst()).map { $0 - $1 }
    #expect(steps.allSatisfy { abs($0 - steps[0]) < 0.02 && $0 > 0 })
    let rects = try #require(svg.elements(class: "series").first).descendants(named: "rect")
    try #require(rects.count == 2)
    for rect in rects {
      let bottom = try #require(rect.number("y")) + #require(rect.number("height"))
      #expect(SVGFigureRendererTests.close(bottom, Self.box.maxY))
    }
  }

  /// `axvline` and `axhline` span the whole axes at their value.
  @Test func referenceLinesSpanTheAxes() throws {
    let figure = try SVGFigureRendererTests.figure([
      (.line(.solid), [0, 1], [0, 1], nil), (.verticalLine(.dashed), [0.25], [], "warmup"), (.horizontalLine(.dotted), [], [0.5], nil),
    ]) { axes in
      try axes.setXLimits(0, 1)
      try axes.setYLimits(0, 1)
    }
    let groups = try Self.seriesGroups(figure)
    try #require(groups.count == 3)
    let vertical = try #require(groups[1].descendants(named: "path").first?.value("d"))
    let horizontal = try #require(groups[2].descendants(named: "path").first?.value("d"))
    let (v, h) = (Self.numbers(vertical), Self.numbers(horizontal))
    try #require(v.count == 4 && h.count == 4)  // M x y L x y
    #expect(SVGFigureRendererTests.close(v[0], Self.box.x + 0.25 * Self.box.width) && v[2] == v[0])
    #expect(SVGFigureRendererTests.close(v[1], Self.box.y) && SVGFigureRendererTests.close(v[3], Self.box.maxY))
    #expect(SVGFigureRendererTests.close(h[1], Self.box.y + 0.5 * Self.box.height) && h[3] == h[1])
    #expect(SVGFigureRendererTests.close(h[0], Self.box.x) && SVGFigureRendererTests.close(h[2], Self.box.maxX))
    #expect(groups[1].value("stroke-dasharray") != nil)
    // A line beyond the limits draws nothing (the clip path would hide it anyway).
    let outside = try SVGFigureRendererTests.figure([(.verticalLine(.dashed), [5], [], nil)]) { axes in try axes.setXLimits(0, 1) }
    #expect(try Self.seriesGroups(outside).first?.descendants(named: "path").count == 0)
  }

  /// `grid(on)` draws a light gray line at every tick shown; without it there is none.
  @Test func gridLinesAtTheTicks() throws {
    let off = try ParsedSVG(SVGFigureRenderer.render(SVGFigureRendererTests.figure([(.line(.solid), [0, 1], [0, 1], nil)])))
    #expect(off.elements(class: "grid").isEmpty)
    let figure = try SVGFigureRendererTests.figure([(.line(.solid), [0, 1], [0, 1], nil)]) { $0.grid = true }
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let grid = try svg.element(class: "grid")
    #expect(grid.value("stroke") == "#b0b0b0")
    let ticks = svg.elements(class: "xtick").count + svg.elements(class: "ytick").count
    #expect(ticks > 4 && grid.descendants(named: "path").count == ticks)
  }

  /// Panels 1, 2 and 4 of a 2×2 grid: three axes groups in their grid places, each with its
  /// own clip path, and a lower panel's title below the upper panel's x label.
  @Test func subplotsGiveOneAxesGroupEach() throws {
    var figure = Figure()
    for index in [1, 2, 4] {
      try figure.subplot(rows: 2, columns: 2, index: index)
      try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
        try axes.add(.line(.solid), x: [0, 1], y: [0, Double(index)], label: nil, color: nil, source: .lines)
        (axes.title, axes.xlabel, axes.ylabel) = ("panel \(index)", "x", "y")
      }
    }
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let axes = svg.elements(class: "axes")
    try #require(axes.count == 3)
    let frames = try axes.map { group in try #require(group.descendants.first { $0.classes.contains("frame") }) }
    let boxes = try frames.map { f in
      SVGRect(x: try #require(f.number("x")), y: try #require(f.number("y")), width: try #require(f.number("width")), height: try #require(f.number("height")))
    }
    #expect(boxes[1].x > boxes[0].maxX && abs(boxes[1].y - boxes[0].y) < 0.01)
    #expect(boxes[2].y > boxes[1].maxY && abs(boxes[2].x - boxes[1].x) < 0.01)
    #expect(Set(svg.root.descendants(named: "clipPath").compactMap { $0.value("id") }).count == 3)
    let upperLabel = try #require(axes[1].descendants.first { $0.classes.contains("xlabel") }?.number("y"))
    let lowerTitle = try #require(axes[2].descendants.first { $0.classes.contains("title") }?.number("y"))
    // The title's ascent (0.76 × 12 pt) clears the x label's descent (0.24 × 10 pt).
    #expect(lowerTitle - 0.76 * 12 > upperLabel + 0.24 * 10)
    let titles = svg.elements(class: "title").map(\.text)
    #expect(titles == ["panel 1", "panel 2", "panel 4"])
  }

  /// A figure with nothing drawn is matplotlib's empty axes: frame and 0…1 ticks.
  @Test func anEmptyFigureHasEmptyAxes() throws {
    let svg = try ParsedSVG(SVGFigureRenderer.render(Figure()))
    #expect(svg.elements(class: "axes").count == 1)
    #expect(svg.elements(class: "series").isEmpty)
    let labels = svg.elements(class: "xtick").compactMap { $0.descendants(named: "text").first?.text }
    #expect(labels == Axes().xTicks(nbins: 9).labels && labels.first == "0.0" && labels.last == "1.0")
  }
}
