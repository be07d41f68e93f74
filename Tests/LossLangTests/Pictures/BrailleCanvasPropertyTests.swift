import Testing

@testable import LossLang

/// Random segments on a braille canvas, ends from inside it to near ±1e308: drawing never
/// traps, the dot of an end inside the canvas is always raised, and every raised dot lies
/// within a dot of the true segment.
@Suite struct BrailleCanvasPropertyTests {
  /// The canvas: 5 × 3 cells, 10 × 12 dots.
  static let (columns, rows) = (5, 3)

  /// The bit of each dot in a cell by column (left, right) and row from the top, from
  /// Unicode's braille patterns (dots 1 2 3 7 and 4 5 6 8).
  static let dotBits: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  /// The raised dots of `canvas` in dot coordinates (y up), read back from its text.
  func raisedDots(_ canvas: BrailleCanvas) -> [(x: Int, y: Int)] {
    var dots: [(x: Int, y: Int)] = []
    for (row, line) in canvas.lines().enumerated() {
      for (column, character) in line.enumerated() where character != " " {
        let bits = (character.unicodeScalars.first?.value ?? 0x2800) - 0x2800
        for dx in 0..<2 {
          for dy in 0..<4 where bits & Self.dotBits[dx][dy] != 0 {
            dots.append((2 * column + dx, 4 * (canvas.rows - 1 - row) + 3 - dy))
          }
        }
      }
    }
    return dots
  }

  /// The distance from `(px, py)` to the segment `a`–`b`.
  func distance(_ px: Double, _ py: Double, _ a: (Double, Double), _ b: (Double, Double)) -> Double {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1)
    let length2 = dx * dx + dy * dy
    let t = length2 == 0 ? 0 : min(max(((px - a.0) * dx + (py - a.1) * dy) / length2, 0), 1)
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy)
    return ((px - cx) * (px - cx) + (py - cy) * (py - cy)).squareRoot()
  }

  @Test func anEndInsideIsDrawnWhereverTheOtherEndIs() {
    var random = SeededGenerator(seed: 16)
    let (width, height) = (Double(2 * Self.columns), Double(4 * Self.rows))
    for _ in 0..<2000 {
      let scale = random.pick([1.0, 1e3, 1e100, 1e300, 1e308])
      let far = (Double.random(in: -1...1, using: &random) * scale, Double.random(in: -1...1, using: &random) * scale)
      let inside = (Double.random(in: -0.49..<width - 0.5, using: &random), Double.random(in: -0.49..<height - 0.5, using: &random))
      var canvas = BrailleCanvas(columns: Self.columns, rows: Self.rows)
      canvas.drawLine(from: far.0, far.1, to: inside.0, inside.1)
      let end = (x: Int((inside.0 + 0.5).rounded(.down)), y: Int((inside.1 + 0.5).rounded(.down)))
      var withEnd = canvas
      withEnd.setDot(x: end.x, y: end.y)
      #expect(withEnd.lines() == canvas.lines(), "(\(far)) to (\(inside)): its end \(end) is raised")
      guard scale <= 1e3 else { continue }
      for dot in raisedDots(canvas) {
        let d = distance(Double(dot.x), Double(dot.y), far, inside)
        #expect(d <= 1, "(\(far)) to (\(inside)): dot \(dot) is \(d) from the segment")
      }
    }
  }
}
