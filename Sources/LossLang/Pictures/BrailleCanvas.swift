/// A drawing surface of `columns × rows` character cells, each a 2×4 matrix of Unicode braille
/// dots, on which the text renderer draws lines and points.
///
/// **Coordinates** are in dots with the origin at the bottom-left dot, x to the right and
/// **y up** (as plotting wants): the canvas is ``dotWidth`` = `2·columns` dots wide and
/// ``dotHeight`` = `4·rows` dots high. Dot `(x, y)` lies in cell column `x / 2` and in cell
/// row `rows - 1 - y / 4` counted from the top (the order in which ``lines()`` prints rows).
/// A real-valued point belongs to its nearest dot: dot `i` covers `[i - 0.5, i + 0.5)`.
///
/// **Braille encoding** (Unicode's braille patterns, U+2800 plus one bit per raised dot):
/// the left column of a cell, top to bottom, is dots 1 2 3 7 (bits 0x01 0x02 0x04 0x40) and
/// the right column dots 4 5 6 8 (bits 0x08 0x10 0x20 0x80).
///
/// **Colour**: every drawing call names a colour index (a series' position in the colour
/// cycle); a cell keeps the index of the last call that raised a dot in it, and a cell with
/// no dot has none. The renderer maps indices to colours (``ANSIColor``).
///
/// **Text**: a cell with no dot prints as a space rather than the blank braille pattern
/// U+2800, so that copied text has ordinary blanks.
struct BrailleCanvas {
  /// The width in character cells.
  let columns: Int
  /// The height in character cells.
  let rows: Int
  /// The raised dots of each cell as braille bits, row by row from the top.
  private var bits: [UInt8]
  /// The colour index of each cell (nil while it has no dot), row by row from the top.
  private var colors: [Int?]

  /// The bit of the dot at column `dx` (0 left, 1 right) and row `dy` (0 top … 3 bottom) of a cell.
  private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  /// An empty canvas of `columns × rows` cells (a negative size counts as 0).
  init(columns: Int, rows: Int) {
    self.columns = max(columns, 0)
    self.rows = max(rows, 0)
    bits = Array(repeating: 0, count: self.columns * self.rows)
    colors = Array(repeating: nil, count: self.columns * self.rows)
  }

  /// The width in dots.
  var dotWidth: Int { 2 * columns }
  /// The height in dots.
  var dotHeight: Int { 4 * rows }

  /// Raises dot `(x, y)` (y up) and gives its cell the colour index `color`; a dot outside
  /// the canvas is ignored.
  mutating func setDot(x: Int, y: Int, color: Int = 0) {
    guard (0..<dotWidth).contains(x), (0..<dotHeight).contains(y) else { return }
    let cell = (rows - 1 - y / 4) * columns + x / 2
    bits[cell] |= Self.dotBits[x % 2][3 - y % 4]
    colors[cell] = color
  }

  /// Draws the segment from `(x0, y0)` to `(x1, y1)` (real dot coordinates, y up) in colour
  /// index `color`: the part inside the canvas, one dot per step along the longer axis with
  /// the other coordinate interpolated (a DDA), both ends' dots included. A segment with a
  /// non-finite end draws nothing; ends far outside (even near ±1e308) are clipped first, so
  /// the work is bounded by the canvas size. A segment whose ends coincide draws that one dot.
  mutating func drawLine(from x0: Double, _ y0: Double, to x1: Double, _ y1: Double, color: Int = 0) {
    guard dotWidth > 0, dotHeight > 0, [x0, y0, x1, y1].allSatisfy(\.isFinite),
      let (a, b) = Self.clip((x0, y0), (x1, y1), width: Double(dotWidth), height: Double(dotHeight))
    else { return }
    // Step along the major axis (the one the segment spans more of), in (major, minor) terms.
    let steep = abs(b.y - a.y) > abs(b.x - a.x)
    let (from, to) = steep ? ((a.y, a.x), (b.y, b.x)) : ((a.x, a.y), (b.x, b.y))
    let (majorLimit, minorLimit) = steep ? (dotHeight, dotWidth) : (dotWidth, dotHeight)
    let (first, last) = (Self.dot(from.0, below: majorLimit), Self.dot(to.0, below: majorLimit))
    for major in stride(from: first, through: last, by: first <= last ? 1 : -1) {
      // The end columns hold the ends' own dots (both, when the segment spans one column).
      var minors: [Double] = []
      if major == first { minors.append(from.1) }
      if major == last { minors.append(to.1) }
      if minors.isEmpty {
        let t = min(max((Double(major) - from.0) / (to.0 - from.0), 0), 1)
        minors.append(from.1 + t * (to.1 - from.1))
      }
      for minor in minors.map({ Self.dot($0, below: minorLimit) }) {
        if steep { setDot(x: minor, y: major, color: color) } else { setDot(x: major, y: minor, color: color) }
      }
    }
  }

  /// The dot a clipped real coordinate belongs to (dot `i` covers `[i - 0.5, i + 0.5)`),
  /// kept within `0..<limit`: a clipped point on the far edge (`limit - 0.5`) touches the
  /// last dot, and one that rounding left outside goes to the nearest dot.
  private static func dot(_ v: Double, below limit: Int) -> Int {
    Int(min(max((v + 0.5).rounded(.down), 0), Double(limit - 1)))
  }

  /// A point of the plane in real dot coordinates.
  typealias Point = SegmentClip.Point

  /// The part of the segment `a`–`b` (finite ends) inside the rectangle
  /// `[-0.5, width - 0.5] × [-0.5, height - 0.5]` (``SegmentClip``), or nil when none is.
  /// The text renderer clips with it too before it cuts a dashed line into dashes.
  static func clip(_ a: Point, _ b: Point, width: Double, height: Double) -> (Point, Point)? {
    SegmentClip.clip(a, b, edges: [-0.5, width - 0.5, -0.5, height - 0.5])
  }

  /// The character of the cell at `column` and `row` (from the top): its braille pattern, or
  /// a space when it has no dot. Outside the canvas, a space.
  func character(column: Int, row: Int) -> Character {
    guard let cell = index(column: column, row: row), bits[cell] != 0,
      let scalar = Unicode.Scalar(0x2800 + UInt32(bits[cell]))
    else { return " " }
    return Character(scalar)
  }

  /// The colour index of the cell at `column` and `row` (from the top): that of the last
  /// drawing that raised a dot in it, or nil when it has none (or lies outside the canvas).
  func colorIndex(column: Int, row: Int) -> Int? {
    index(column: column, row: row).flatMap { colors[$0] }
  }

  /// The canvas as text: one string of ``columns`` characters per row, top row first.
  func lines() -> [String] {
    (0..<rows).map { row in String((0..<columns).map { character(column: $0, row: row) }) }
  }

  /// The storage index of a cell, or nil outside the canvas.
  private func index(column: Int, row: Int) -> Int? {
    guard (0..<columns).contains(column), (0..<rows).contains(row) else { return nil }
    return row * columns + column
  }
}
