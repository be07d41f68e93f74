import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import LossLang

/// The SVG writer's escaping and number format, and random figures with hostile data: the
/// output is always well-formed XML with bounded, finite coordinates.
@Suite struct SVGWriterTests {
  @Test func escapesTheFiveXMLCharacters() {
    #expect(SVGWriter.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
    #expect(SVGWriter.escape("10⁻² δ 損失") == "10⁻² δ 損失")
    // Tab, line feed and carriage return are allowed in XML; other controls and the
    // non-characters U+FFFE, U+FFFF are not.
    #expect(SVGWriter.escape("\t\n\r") == "\t\n\r")
    #expect(SVGWriter.escape("\u{0}\u{1B}\u{FFFE}\u{FFFF}") == "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
  }

  /// Two decimals, rounded to nearest, no trailing zeros, no negative zero, `.` always.
  @Test(arguments: [
    (12.5, "12.5"), (3, "3"), (-0.25, "-0.25"), (0.125, "0.13"), (460.8, "460.8"), (0.001, "0"),
    (-0.001, "0"), (2.475, "2.48"), (1.05, "1.05"), (-7.0, "-7"), (1e12, "1000000000"), (.nan, "0"),
    (-.infinity, "-1000000000"),
  ])
  func numbersAreCompact(_ value: Double, _ text: String) {
    #expect(SVGWriter.number(value) == text)
  }

  @Test func elementsNestAndClose() throws {
    var writer = SVGWriter()
    writer.open("svg", [("xmlns", "http://www.w3.org/2000/svg")])
    writer.open("g", [("class", "a&b")])
    writer.element("text", [("x", "1")], content: "<hi>")
    writer.element("rect")
    writer.close()
    writer.close()
    let svg = try ParsedSVG(writer.text)
    let g = try svg.element(class: "a&b")
    #expect(g.descendants(named: "text").map(\.text) == ["<hi>"])
    #expect(g.descendants(named: "rect").count == 1)
  }

  /// Random figures — NaN, infinities, values near ±1e300, reversed and tiny limits, log
  /// axes, subplots, odd sizes, text with markup — render to well-formed XML whose path,
  /// circle and rect coordinates are all finite and within 1e4 of the document.
  @Test func randomFiguresGiveWellFormedBoundedSVG() throws {
    var random = SeededGenerator(seed: 1605)
    let specials: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, 0, 1e-300]
    for trial in 0..<60 {
      var figure = Figure(width: random.chance(0.3) ? Int.random(in: 1...200, using: &random) : nil,
                          height: random.chance(0.3) ? Int.random(in: 1...60, using: &random) : nil)
      let (rows, columns) = (Int.random(in: 1...3, using: &random), Int.random(in: 1...3, using: &random))
      for index in 1...(rows * columns) where random.chance(0.7) {
        try figure.subplot(rows: rows, columns: columns, index: index)
        try figure.updateCurrent { (axes: inout Axes) throws(LossLangError) in
          let log = random.chance(0.3)
          if log { try axes.setYScale(.log) }
          for _ in 0..<Int.random(in: 0...3, using: &random) {
            let n = Int.random(in: 1...30, using: &random)
            let x = (0..<n).map { _ in random.chance(0.1) ? random.pick(specials) : Double.random(in: -5...5, using: &random) }
            var y = (0..<n).map { _ in random.chance(0.1) ? random.pick(specials) : Double.random(in: 0.01...5, using: &random) }
            if log { y = y.map { $0.isFinite && $0 <= 0 ? 1 : $0 } }
            let mark = random.pick([Series.Mark.line(.solid), .line(.dashed), .line(.markers), .scatter, .bars(widths: Array(repeating: 0.3, count: n))])
            _ = try? axes.add(mark, x: x, y: y, label: random.chance(0.5) ? "s<&>\"'\(trial)" : nil, color: nil, source: .lines)
          }
          if random.chance(0.3) { try? axes.setXLimits(random.pick([1, 0, 1e-300, -1e300]), random.pick([0, 2, 1e300])) }
          (axes.title, axes.xlabel, axes.ylabel, axes.grid) = ("t&<\(trial)>", "x\u{1}", "y'\"", random.chance(0.5))
        }
      }
      let text = SVGFigureRenderer.render(figure)
      let svg = try ParsedSVG(text)
      #expect(!text.contains("nan") && !text.contains("inf"), "trial \(trial)")
      for element in svg.allElements where ["path", "circle", "rect", "line", "text"].contains(element.localName ?? "") {
        let values = ["x", "y", "cx", "cy", "width", "height", "x1", "y1", "x2", "y2"].compactMap { element.number($0) }
          + SVGMarksTests.numbers(element.value("d") ?? "")
        #expect(values.allSatisfy { $0.isFinite && abs($0) < 1e4 }, "trial \(trial): \(element.xmlString)")
      }
    }
  }
}
