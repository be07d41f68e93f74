import Testing

@testable import LossLang

/// The braille canvas of the text renderer: where each dot lands, lines, clipping and colour.
///
/// Expected characters are derived by hand from Unicode's braille patterns: U+2800 plus a bit
/// per raised dot, dots 1 2 3 7 (left column, top to bottom) = 0x01 0x02 0x04 0x40 and dots
/// 4 5 6 8 (right column) = 0x08 0x10 0x20 0x80. Canvas coordinates have y up, so in a one-row
/// canvas dot row y = 3 is the top of the cell and y = 0 the bottom; empty cells are spaces.
@Suite struct BrailleCanvasTests {
  /// The text of a canvas of `columns × rows` cells after `draw`.
  func text(_ columns: Int, _ rows: Int, _ draw: (inout BrailleCanvas) -> Void) -> [String] {
    var canvas = BrailleCanvas(columns: columns, rows: rows)
    draw(&canvas)
    return canvas.lines()
  }

  @Test func eachOfTheEightDotsHasItsBit() {
    let expected: [(x: Int, y: Int, character: String)] = [
      (0, 3, "\u{2801}"),  // left column, top: dot 1 -> 0x01
      (0, 2, "\u{2802}"),  // left, second: dot 2 -> 0x02
      (0, 1, "\u{2804}"),  // left, third: dot 3 -> 0x04
      (0, 0, "\u{2840}"),  // left, bottom: dot 7 -> 0x40
      (1, 3, "\u{2808}"),  // right, top: dot 4 -> 0x08
      (1, 2, "\u{2810}"),  // right, second: dot 5 -> 0x10
      (1, 1, "\u{2820}"),  // right, third: dot 6 -> 0x20
      (1, 0, "\u{2880}"),  // right, bottom: dot 8 -> 0x80
    ]
    for dot in expected {
      #expect(text(1, 1) { $0.setDot(x: dot.x, y: dot.y) } == [dot.character], "dot (\(dot.x), \(dot.y))")
    }
    // All eight together: 0xFF -> U+28FF.
    #expect(text(1, 1) { c in for x in 0..<2 { for y in 0..<4 { c.setDot(x: x, y: y) } } } == ["\u{28FF}"])
  }

  @Test func dotsLandInTheirCellWithYUp() {
    // 2 × 2 cells, 4 × 8 dots. Dot (3, 0): right column of cell column 1, bottom of the
    // bottom row -> dot 8 (0x80) -> U+2880. Dot (0, 7): left column of cell column 0, top of
    // the top row -> dot 1 (0x01) -> U+2801.
    let lines = text(2, 2) {
      $0.setDot(x: 3, y: 0)
      $0.setDot(x: 0, y: 7)
    }
    #expect(lines == ["\u{2801} ", " \u{2880}"])
  }

  @Test func dotsOutsideTheCanvasAreIgnored() {
    let lines = text(1, 1) { c in
      for (x, y) in [(-1, 0), (2, 0), (0, -1), (0, 4), (Int.min, Int.max)] { c.setDot(x: x, y: y) }
    }
    #expect(lines == [" "])
  }

  @Test func aHorizontalLine() {
    // Dots (0…3, 0): the bottom row of both cells, dots 7 and 8 -> 0x40 | 0x80 = 0xC0 -> U+28C0.
    #expect(text(2, 1) { $0.drawLine(from: 0, 0, to: 3, 0) } == ["\u{28C0}\u{28C0}"])
    // Real ends round to the nearest dot: x -0.3 -> 0, 3.4 -> 3; y 0.2 and -0.4 -> 0.
    #expect(text(2, 1) { $0.drawLine(from: -0.3, 0.2, to: 3.4, -0.4) } == ["\u{28C0}\u{28C0}"])
  }

  @Test func aVerticalLine() {
    // Dots (0, 0…7) in a 1 × 2 canvas: the left column of both cells, dots 1 2 3 7 ->
    // 0x01 | 0x02 | 0x04 | 0x40 = 0x47 -> U+2847.
    #expect(text(1, 2) { $0.drawLine(from: 0, 7, to: 0, 0) } == ["\u{2847}", "\u{2847}"])
  }

  @Test func aDiagonalLine() {
    // Dots (0,0) (1,1) (2,2) (3,3). Cell 0: (0,0) is dot 7 (0x40), (1,1) right column third
    // row is dot 6 (0x20) -> 0x60 -> U+2860. Cell 1: (2,2) left column second row is dot 2
    // (0x02), (3,3) right column top is dot 4 (0x08) -> 0x0A -> U+280A.
    #expect(text(2, 1) { $0.drawLine(from: 0, 0, to: 3, 3) } == ["\u{2860}\u{280A}"])
    #expect(text(2, 1) { $0.drawLine(from: 3, 3, to: 0, 0) } == ["\u{2860}\u{280A}"], "either direction")
  }

  @Test func bothEndsDotsAreDrawn() {
    // (0.4, 0) is dot (0, 0) and (1.4, 0.6) dot (1, 1), although the segment's height at
    // x = 1 is only 0.36: dot 7 (0x40) and dot 6 (0x20) -> 0x60 -> U+2860.
    #expect(text(1, 1) { $0.drawLine(from: 0.4, 0, to: 1.4, 0.6) } == ["\u{2860}"])
  }

  @Test func aSegmentOfLengthZeroIsOneDot() {
    // (1.2, 2.9) rounds to dot (1, 3): right column, top -> dot 4 (0x08) -> U+2808.
    #expect(text(2, 1) { $0.drawLine(from: 1.2, 2.9, to: 1.2, 2.9) } == ["\u{2808} "])
  }

  @Test func linesFromFarOutsideDrawOnlyTheirPartInside() {
    // y = 1 is the third dot row from the top: dots 3 (0x04) and 6 (0x20) -> 0x24 -> U+2824;
    // x = 2 alone is dot 3 of the second cell -> U+2804.
    #expect(text(2, 1) { $0.drawLine(from: -1e300, 1, to: 2, 1) } == ["\u{2824}\u{2804}"])
    #expect(text(2, 1) { $0.drawLine(from: -1e300, 1, to: 1e300, 1) } == ["\u{2824}\u{2824}"])
    let huge = Double.greatestFiniteMagnitude
    #expect(text(2, 1) { $0.drawLine(from: huge, 1, to: -huge, 1) } == ["\u{2824}\u{2824}"])
    // x = 1 in a 1 × 2 canvas: the right column of both cells, dots 4 5 6 8 -> 0xB8 -> U+28B8.
    #expect(text(1, 2) { $0.drawLine(from: 1, 1e300, to: 1, -1e300) } == ["\u{28B8}", "\u{28B8}"])
    // The diagonal of aDiagonalLine, continued to 1e300.
    #expect(text(2, 1) { $0.drawLine(from: 0, 0, to: 1e300, 1e300) } == ["\u{2860}\u{280A}"])
  }

  @Test func linesMissingTheCanvasDrawNothing() {
    #expect(text(2, 1) { $0.drawLine(from: -5, -5, to: -1, 10) } == ["  "])
    #expect(text(2, 1) { $0.drawLine(from: -1e300, 5, to: 1e300, 5) } == ["  "], "above the top dot row (3)")
  }

  @Test func aNonFiniteEndDrawsNothing() {
    for bad in [Double.nan, .infinity, -.infinity] {
      #expect(text(2, 1) { $0.drawLine(from: 0, 0, to: bad, 2) } == ["  "], "\(bad)")
      #expect(text(2, 1) { $0.drawLine(from: 1, bad, to: 3, 3) } == ["  "], "\(bad)")
    }
  }

  @Test func aCellKeepsTheColourOfTheLastDrawingInIt() {
    var canvas = BrailleCanvas(columns: 3, rows: 1)
    canvas.drawLine(from: 0, 0, to: 3, 0, color: 1)  // cells 0 and 1
    canvas.setDot(x: 2, y: 3, color: 2)  // cell 1 again
    canvas.setDot(x: 9, y: 0, color: 5)  // outside: no cell changes
    #expect(canvas.colorIndex(column: 0, row: 0) == 1)
    #expect(canvas.colorIndex(column: 1, row: 0) == 2)
    #expect(canvas.colorIndex(column: 2, row: 0) == nil, "a cell with no dot has no colour")
    #expect(canvas.colorIndex(column: 3, row: 0) == nil, "outside the canvas")
    // Cell 1 holds dots (2,0) (3,0) and (2,3): dots 7, 8 and 1 -> 0xC1 -> U+28C1.
    #expect(canvas.lines() == ["\u{28C0}\u{28C1} "])
    #expect(canvas.character(column: 1, row: 0) == "\u{28C1}")
  }

  @Test func aCanvasOfNoCellsIsEmpty() {
    #expect(text(0, 0) { $0.drawLine(from: 0, 0, to: 5, 5) } == [])
    #expect(text(-3, 2) { $0.setDot(x: 0, y: 0) } == ["", ""])
  }
}
