import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import LossLang

/// The SVG renderer's geometry against matplotlib's (`Fixtures/pictures_svg.json`): sizes,
/// axes boxes where the decorations fit matplotlib's default spacing, the tick spaces the
/// tick locator is asked for, line styles and the legend's place.
@Suite struct SVGMatplotlibGeometryTests {
  /// `layout` drawn: its figure with each panel plotting [0, 1] against [0, 1].
  static func render(_ layout: SVGGeometryFixture.Layout) throws -> (Figure, ParsedSVG) {
    var figure = Figure(width: layout.cells?[0], height: layout.cells?[1])
    for index in layout.panels {
      try figure.subplot(rows: layout.rows, columns: layout.columns, index: index)
      _ = try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
        try axes.add(.line(.solid), x: [0, 1], y: [0, 1], label: nil, color: nil, source: .lines)
      }
    }
    return (figure, try ParsedSVG(SVGFigureRenderer.render(figure)))
  }

  @Test(arguments: 0..<(SVGGeometryFixture.shared?.layouts.count ?? 1))
  func sizesBoxesAndTickSpacesAreMatplotlibs(_ index: Int) throws {
    let layouts = try SVGGeometryFixture.load().layouts
    let layout = try #require(layouts.indices.contains(index) ? layouts[index] : nil)
    let (figure, svg) = try Self.render(layout)
    #expect(svg.root.value("width") == "\(layout.pixels[0])" && svg.root.value("height") == "\(layout.pixels[1])", "\(layout.name)")
    let viewBox = (svg.root.value("viewBox") ?? "").split(separator: " ").compactMap { Double($0) }
    #expect(viewBox.count == 4 && SVGFigureRendererTests.close(viewBox[2], layout.points[0]), "\(layout.name)")
    #expect(viewBox.count == 4 && SVGFigureRendererTests.close(viewBox[3], layout.points[1]), "\(layout.name)")
    let groups = svg.elements(class: "axes")
    try #require(groups.count == layout.axes.count)
    for ((group, panel), axes) in zip(zip(groups, layout.axes), figure.layout.map(\.axes)) {
      let frame = try #require(group.descendants.first { $0.classes.contains("frame") })
      let box = ["x", "y", "width", "height"].compactMap { frame.number($0) }
      #expect(box.count == 4 && zip(box, panel.box).allSatisfy { SVGFigureRendererTests.close($0, $1) }, "\(layout.name) \(panel.index): \(box) vs \(panel.box)")
      let texts = { (name: String) in
        group.descendants.filter { $0.classes.contains(name) }.compactMap { $0.descendants(named: "text").first?.text }
      }
      #expect(texts("xtick") == axes.xTicks(nbins: panel.xbins).labels, "\(layout.name) \(panel.index)")
      #expect(texts("ytick") == axes.yTicks(nbins: panel.ybins).labels, "\(layout.name) \(panel.index)")
    }
  }

  @Test func lineStylesAreMatplotlibs() throws {
    let lines = try SVGGeometryFixture.load().lines
    #expect(SVGStyle.lineWidth == lines.linewidth)
    #expect(zip(try #require(SVGStyle.dashes(.dashed)), lines.dashed).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(zip(try #require(SVGStyle.dashes(.dotted)), lines.dotted).allSatisfy { abs($0 - $1) < 1e-12 })
    #expect(SVGStyle.dashes(.solid) == nil)
    #expect(2 * SVGStyle.markerRadius == lines.markersize)
    #expect(SVGStyle.grid.color == lines.gridcolor)
    #expect(SVGStyle.frameWidth == lines.axeslinewidth && SVGStyle.tickLength == lines.ticksize)
  }

  /// The legend lands in the corner matplotlib's `loc="best"` picks, at its gap from the edges.
  @Test(arguments: 0..<(SVGGeometryFixture.shared?.legends.count ?? 1))
  func theLegendGoesWhereMatplotlibPutsIt(_ index: Int) throws {
    let legends = try SVGGeometryFixture.load().legends
    let c = try #require(legends.indices.contains(index) ? legends[index] : nil)
    let figure = try SVGFigureRendererTests.figure([(.line(.solid), c.x, c.y, c.name)])
    let svg = try ParsedSVG(SVGFigureRenderer.render(figure))
    let (frame, legend) = try (svg.element(class: "frame"), svg.element(class: "legend-frame"))
    let box = ["x", "y", "width", "height"].compactMap { frame.number($0) }
    let rect = ["x", "y", "width", "height"].compactMap { legend.number($0) }
    try #require(box.count == 4 && rect.count == 4)
    let gaps = (left: rect[0] - box[0], right: box[0] + box[2] - rect[0] - rect[2], top: rect[1] - box[1], bottom: box[1] + box[3] - rect[1] - rect[3])
    switch c.horizontal {
    case "left": #expect(SVGFigureRendererTests.close(gaps.left, c.gap), "\(c.name)")
    case "right": #expect(SVGFigureRendererTests.close(gaps.right, c.gap), "\(c.name)")
    default: #expect(abs(gaps.left - gaps.right) < 0.02, "\(c.name)")
    }
    switch c.vertical {
    case "upper": #expect(SVGFigureRendererTests.close(gaps.top, c.gap), "\(c.name)")
    case "lower": #expect(SVGFigureRendererTests.close(gaps.bottom, c.gap), "\(c.name)")
    default: #expect(abs(gaps.top - gaps.bottom) < 0.02, "\(c.name)")
    }
  }
}
