import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import LossLang

/// The SVG renderer's output parsed as XML: the document, the texts and their escaping, one
/// group per series, the legend's entries, ticks as the model gives them, multipliers and
/// reversed axes. (Marks: `SVGMarksTests`; geometry against matplotlib:
/// `SVGMatplotlibGeometryTests`.)
@Suite struct SVGFigureRendererTests {
  /// A figure with one panel holding `series`, built through the model as the builtins do.
  static func figure(
    _ series: [(Series.Mark, [Double], [Double], String?)], change: (inout Axes) throws -> Void = { _ in }
  ) throws -> Figure {
    var axes = Axes()
    try change(&axes)
    for (mark, x, y, label) in series {
      let source: Axes.ColorSource =
        switch mark {
        case .scatter, .bars: .patches
        case .verticalLine, .horizontalLine: .fixed
        case .line: .lines
        }
      try axes.add(mark, x: x, y: y, label: label, color: nil, source: source)
    }
    var figure = Figure()
    try figure.updateCurrent { (current: inout Axes) in current = axes }
    return figure
  }

  /// Numbers within the rounding of two of the renderer's two-decimal numbers (a sum of
  /// two is off by up to 0.01).
  static func close(_ a: Double?, _ b: Double) -> Bool {
    a.map { abs($0 - b) <= 0.0101 } ?? false
  }

  @Test func theDocumentIsStandaloneSVGOfMatplotlibsDefaultSize() throws {
    let text = SVGFigureRenderer.render(Figure())
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
    let svg = try ParsedSVG(text)
    #expect(svg.root.localName == "svg")
    #expect(svg.root.uri == "http://www.w3.org/2000/svg")
    #expect(svg.root.value("version") == "1.1")
    // 6.4×4.8 inches at 100 dpi, a viewBox in points (72 per inch): 460.8×345.6.
    #expect(svg.root.value("width") == "640")
    #expect(svg.root.value("height") == "480")
    #expect(svg.root.value("viewBox") == "0 0 460.8 345.6")
    #expect(svg.root.value("font-family")?.hasSuffix("sans-serif") == true)
    // No external resources: no images, scripts, links or style sheets.
    for name in ["image", "script", "a", "style", "use", "foreignObject"] {
      #expect(svg.root.descendants(named: name).isEmpty, "\(name)")
    }
    #expect(!text.contains("href"))
    let background = try svg.element(class: "figure-background")
    #expect(background.value("fill") == "#ffffff")
    #expect(background.number("width") == 460.8 && background.number("height") == 345.6)
  }

  /// `figure(width=100, height=30)` (text cells): 8 px per column, 20 per row, so 800×600 px,
  /// a viewBox of 576×432 points.
  @Test func aSizeInCellsGivesEightByTwentyPixelsACell() throws {
    let svg = try ParsedSVG(SVGFigureRenderer.render(Figure(width: 100, height: 30)))
    #expect(svg.root.value("width") == "800")
    #expect(svg.root.value("height") == "600")
    #expect(svg.root.value("viewBox") == "0 0 576 432")
  }

  @Test func titleAndAxisLabelsAreTexts() throws {
    let figure = try Self.figure([(.line(.solid), [0, 1], [0, 1], nil)]) { axes in
      (axes.title, axes.xlabel, axes.ylabel) = ("Huber loss", "residual r", "loss(r)")
    }
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let (title, xlabel, ylabel) = try (svg.element(class: "title"), svg.element(class: "xlabel"), svg.element(class: "ylabel"))
    #expect(title.localName == "text" && title.text == "Huber loss")
    #expect(xlabel.text == "residual r")
    #expect(ylabel.text == "loss(r)")
    let frame = try svg.element(class: "frame")
    let (top, bottom, left) = try (#require(frame.number("y")), #require(frame.number("y")) + #require(frame.number("height")), #require(frame.number("x")))
    // Title above the box, x label below it, y label left of it and turned to read upward.
    #expect(try #require(title.number("y")) < top)
    #expect(try #require(xlabel.number("y")) > bottom)
    #expect(try #require(ylabel.number("x")) < left)
    #expect(ylabel.value("transform")?.hasPrefix("rotate(-90 ") == true)
  }

  /// `<`, `&`, `"` and `'` survive as text; control characters XML cannot hold become U+FFFD.
  @Test func textIsEscaped() throws {
    let title = "a < b & \"c\" 'd' > e"
    let figure = try Self.figure([(.line(.solid), [0, 1], [0, 1], "x<y&z")]) { axes in
      axes.title = title
      axes.xlabel = "bell\u{7} tab\tend"
    }
    let text = SVGFigureRenderer.render(figure)
    #expect(text.contains("a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e"))
    let svg = try ParsedSVG(text)
    #expect(try svg.element(class: "title").text == title)
    #expect(try svg.element(class: "xlabel").text == "bell\u{FFFD} tab\tend")
    let entry = try svg.element(class: "legend-entry")
    #expect(entry.descendants(named: "text").map(\.text) == ["x<y&z"])
  }

  /// One group per series in drawing order, painted in its colour: lines stroked (dashes
  /// as matplotlib's patterns times the line width 1.5), markers and bars filled.
  @Test func oneGroupPerSeriesInItsColour() throws {
    let figure = try Self.figure([
      (.line(.solid), [0, 1, 2], [0, 1, 4], "solid"), (.line(.dashed), [0, 1, 2], [1, 2, 3], "dashed"),
      (.line(.dotted), [0, 1, 2], [2, 2, 2], nil), (.line(.markers), [0, 1, 2], [3, 1, 0], "o"),
      (.scatter, [0.5, 1.5], [1, 2], "points"),
    ])
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let groups = svg.elements(class: "series")
    let colors = figure.currentAxes.series.map(\.color)
    try #require(groups.count == 5)
    // matplotlib's tab10: lines C0 C1 C2 C3, the scatter the first patch colour C0.
    #expect(colors == ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#1f77b4"])
    for (group, color) in zip(groups[0..<3], colors) {
      #expect(group.value("stroke") == color && group.value("fill") == "none")
      #expect(group.number("stroke-width") == 1.5)
    }
    #expect(groups[0].value("stroke-dasharray") == nil)
    // "--" is (3.7, 1.6) × 1.5 = (5.55, 2.4); ":" is (1, 1.65) × 1.5 = (1.5, 2.475).
    let dashes = [groups[1], groups[2]].map { ($0.value("stroke-dasharray") ?? "").split(separator: ",").compactMap { Double($0) } }
    #expect(dashes[0].count == 2 && Self.close(dashes[0][0], 5.55) && Self.close(dashes[0][1], 2.4))
    #expect(dashes[1].count == 2 && Self.close(dashes[1][0], 1.5) && Self.close(dashes[1][1], 2.475))
    #expect(groups[3].value("fill") == colors[3] && groups[3].descendants(named: "circle").count == 3)
    #expect(groups[4].value("fill") == colors[4] && groups[4].descendants(named: "circle").count == 2)
    #expect(groups[4].descendants(named: "circle").allSatisfy { $0.number("r") == 3 })
    // A labelled series carries its label as a <title>; an unlabelled one none.
    #expect(groups.map { $0.descendants(named: "title").first?.text } == ["solid", "dashed", nil, "o", "points"])
  }

  /// The legend lists the labelled series, in order, each with a handle of its mark and colour.
  @Test func legendEntriesMatchTheLabels() throws {
    let figure = try Self.figure([
      (.line(.solid), [0, 1], [0, 1], "mse"), (.line(.dashed), [0, 1], [1, 0], nil),
      (.bars(widths: [0.5]), [0], [0.5], "bars"), (.scatter, [0.2], [0.4], "data"),
    ])
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    _ = try svg.element(class: "legend")
    let entries = svg.elements(class: "legend-entry")
    #expect(entries.map { $0.descendants(named: "text").map(\.text) } == [["mse"], ["bars"], ["data"]])
    let handles = entries.compactMap { $0.descendants.first { $0.classes.contains("handle") } }
    try #require(handles.count == 3)
    let series = figure.currentAxes.series
    #expect(handles[0].value("stroke") == series[0].color && handles[0].descendants(named: "path").count == 1)
    #expect(handles[1].value("fill") == series[2].color && handles[1].descendants(named: "rect").count == 1)
    #expect(handles[2].value("fill") == series[3].color && handles[2].descendants(named: "circle").count == 1)
  }

  @Test func noLabelsNoLegend() throws {
    let figure = try Self.figure([(.line(.solid), [0, 1], [0, 1], nil)])
    #expect(try ParsedSVG(SVGFigureRenderer.render(figure)).elements(class: "legend").isEmpty)
  }

  /// Tick label texts are the model's `AxisTicks` labels for matplotlib's tick space on the
  /// default axes (357.12 × 266.11 pt: min(9, ⌊357.12 / 30⌋) and min(9, ⌊266.11 / 20⌋) bins),
  /// placed where the data value maps.
  @Test func ticksAreTheModelsTicksAtTheirValues() throws {
    let figure = try Self.figure([(.line(.solid), [-3, 7], [0.2, 1.7], nil)])
    let axes = figure.currentAxes
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let (xTicks, yTicks) = (axes.xTicks(nbins: 9), axes.yTicks(nbins: 9))
    let xTexts = svg.elements(class: "xtick").compactMap { $0.descendants(named: "text").first }
    let yTexts = svg.elements(class: "ytick").compactMap { $0.descendants(named: "text").first }
    #expect(xTexts.map(\.text) == xTicks.labels)
    #expect(yTexts.map(\.text) == yTicks.labels)
    try #require(xTexts.count == xTicks.values.count && xTicks.values.count >= 3)
    let view = axes.xView
    for (text, value) in zip(xTexts, xTicks.values) {
      #expect(Self.close(text.number("x"), 57.6 + (value - view.lower) / (view.upper - view.lower) * 357.12), "\(value)")
    }
    // Ticks point outward: below the frame and left of it.
    let tick = try #require(svg.elements(class: "xtick").first?.descendants(named: "line").first)
    #expect(Self.close(tick.number("y1"), 41.47 + 266.11) && Self.close(tick.number("y2"), 41.47 + 266.11 + 3.5))
  }

  /// A value in units of 10ᵏ shows the model's multiplier at the end of the axis.
  @Test func multipliersAreShown() throws {
    let figure = try Self.figure([(.line(.solid), [0, 1], [0, 3e7], nil)])
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let expected = try #require(figure.currentAxes.yTicks(nbins: 9).multiplier)
    #expect(try svg.element(class: "ymultiplier").text == expected)
    #expect(svg.elements(class: "xmultiplier").isEmpty)
  }

  /// A reversed x axis puts larger values further left.
  @Test func reversedLimitsReverseTheAxis() throws {
    let figure = try Self.figure([(.line(.solid), [0, 1], [0, 1], nil)]) { axes in try axes.setXLimits(1, 0) }
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let xs = svg.elements(class: "xtick").compactMap { $0.descendants(named: "text").first }
    let pairs = xs.compactMap { text in Double(text.text).flatMap { value in text.number("x").map { (value, $0) } } }
    try #require(pairs.count >= 3)
    #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 > $1.1 })
  }
}
