import Foundation
import Testing

@testable import LossLang

/// Representative figures written as SVG files and drawn by a real renderer,
/// `rsvg-convert`: each must render without error to a PNG of the document's pixel size
/// that is not blank.
@Suite(.tags(.spawnsProcess)) struct SVGRasterTests {
  /// A figure built by `build` on a fresh figure.
  static func figure(width: Int? = nil, height: Int? = nil, _ build: (inout Figure) throws(LossLangError) -> Void) throws -> Figure {
    var figure = Figure(width: width, height: height)
    try build(&figure)
    return figure
  }

  /// Adds a series to the current panel (the colour from the cycle matplotlib uses for it).
  static func add(_ figure: inout Figure, _ mark: Series.Mark, _ x: [Double], _ y: [Double], label: String? = nil) throws(LossLangError) {
    let source: Axes.ColorSource =
      switch mark {
      case .scatter, .bars: .patches
      case .verticalLine, .horizontalLine: .fixed
      case .line: .lines
      }
    _ = try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
      try axes.add(mark, x: x, y: y, label: label, color: nil, source: source)
    }
  }

  /// The residuals -3…3 and the Huber-like curves drawn in the lessons.
  static let residuals = (0...120).map { -3 + Double($0) / 20 }

  /// The figures drawn, by name, with their size in pixels: 640×480 by default, 8×20 px a
  /// text cell when the figure has a size (120×30 cells: 960×600).
  static func figures() throws -> [(name: String, figure: Figure, size: (Int, Int))] {
    let r = residuals
    let lines = try figure { (f: inout Figure) throws(LossLangError) in
      try add(&f, .line(.solid), r, r.map { $0 * $0 }, label: "mse")
      try add(&f, .line(.dashed), r, r.map(abs), label: "l1")
      try add(&f, .line(.dotted), r, r.map { abs($0) < 1 ? 0.5 * $0 * $0 : abs($0) - 0.5 }, label: "smooth l1")
      try add(&f, .line(.markers), [-2, 0, 2], [4, 0, 4])
      try add(&f, .verticalLine(.dashed), [1], [], label: "δ")
      try f.updateCurrent { (a: inout Axes) throws(LossLangError) in
        (a.title, a.xlabel, a.ylabel, a.grid) = ("Losses <against> the residual & \"friends\"", "residual r", "loss", true)
      }
    }
    let scatter = try figure { (f: inout Figure) throws(LossLangError) in
      try add(&f, .scatter, [0, 1, 2, 3, 4, 5], [0.1, 1.2, 1.9, 3.2, 12, 5.1], label: "data")
      try add(&f, .line(.solid), [0, 5], [0, 5], label: "fit")
      try add(&f, .line(.solid), [0, 1, 2, 3], [1, .nan, 3, 4], label: "broken")
    }
    let bars = try figure { (f: inout Figure) throws(LossLangError) in
      try add(&f, .bars(widths: [0.8, 0.8, 0.8]), [-0.4, 0.6, 1.6], [0.3, 0.1, 0.2])
      try f.updateCurrent { (a: inout Axes) throws(LossLangError) in a.setCategories(["mse", "l1", "huber"]) }
    }
    let hist = try figure { (f: inout Figure) throws(LossLangError) in
      var generator = SeededGenerator(seed: 16)
      let values = (0..<500).map { _ in Double.random(in: 0...1, using: &generator) + Double.random(in: 0...1, using: &generator) }
      guard let h = Histogram(values, bins: 20) else { return }
      let widths = zip(h.edges.dropFirst(), h.edges).map { $0 - $1 }
      try add(&f, .bars(widths: widths), Array(h.edges.dropLast()), h.counts, label: "sum of two uniforms")
    }
    let subplots = try figure(width: 120, height: 30) { (f: inout Figure) throws(LossLangError) in
      for index in 1...4 {
        try f.subplot(rows: 2, columns: 2, index: index)
        try add(&f, .line(.solid), r, r.map { pow(abs($0), Double(index)) }, label: "|r|^\(index)")
        try f.updateCurrent { (a: inout Axes) throws(LossLangError) in (a.title, a.xlabel, a.ylabel) = ("power \(index)", "r", "loss") }
      }
    }
    let log = try figure { (f: inout Figure) throws(LossLangError) in
      try f.updateCurrent { (a: inout Axes) throws(LossLangError) in try a.setYScale(.log) }
      try add(&f, .line(.solid), (0..<50).map(Double.init), (0..<50).map { pow(10, -Double($0) / 10) }, label: "loss")
      try add(&f, .horizontalLine(.dotted), [], [1e-3], label: "target")
    }
    return [
      ("lines", lines, (640, 480)), ("scatter", scatter, (640, 480)), ("bars", bars, (640, 480)),
      ("hist", hist, (640, 480)), ("subplots", subplots, (960, 600)), ("log", log, (640, 480)),
    ]
  }

  @Test func representativeFiguresRenderWithRSVG() throws {
    let directory = try TestScratch.subdirectory("svg-raster-")
    // A document with nothing but the white background, for comparison: a figure's PNG
    // must hold much more than that.
    let blankSVG = directory.appendingPathComponent("blank.svg")
    let blankText = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="640" height="480">
      <rect width="640" height="480" fill="#ffffff"/></svg>
      """
    try blankText.write(to: blankSVG, atomically: true, encoding: .utf8)
    let blank = try rasterize(blankSVG, to: directory.appendingPathComponent("blank.png"))
    try #require(blank.run.status == 0 && blank.bytes > 0, "\(blank.run.stderr)")
    for (name, figure, expected) in try Self.figures() {
      let svg = directory.appendingPathComponent("\(name).svg")
      try SVGFigureRenderer.render(figure).write(to: svg, atomically: true, encoding: .utf8)
      let result = try rasterize(svg, to: directory.appendingPathComponent("\(name).png"))
      #expect(result.run.status == 0, "\(name): \(result.run.stderr)")
      #expect(result.run.stderr.isEmpty, "\(name): \(result.run.stderr)")
      let size = try #require(result.size, "\(name): no PNG")
      #expect(size.width == expected.0 && size.height == expected.1, "\(name)")
      #expect(result.bytes > 4 * blank.bytes, "\(name): \(result.bytes) bytes, a blank page is \(blank.bytes)")
    }
  }
}
