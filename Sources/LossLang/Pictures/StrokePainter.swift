import Foundation

/// Draws lines, markers and reference lines on a braille canvas in a ``LineStyle``, in dot
/// coordinates (y up).
///
/// A solid line is the canvas's own segment drawing. A dashed line is cut into dashes along
/// its path, measured in dots: 3 dots of length drawn (4 dots on a horizontal run) in every
/// 8, and a dotted line one dot every 2; the pattern runs on from one segment into the next
/// and starts afresh after a gap. Only the part of a segment inside the canvas is cut, so
/// the work stays bounded for ends far outside. Markers (`"o"` and scatter) are 2×2 dot
/// clusters, the four dots around the point.
enum StrokePainter {
  /// A dash pattern: `on` dots of path drawn at the start of every `period`.
  struct Dashes {
    /// The drawn length of each dash (0: one dot).
    let on: Double
    /// The distance from one dash's start to the next's.
    let period: Double
  }

  /// The dash pattern of a line style, nil for a solid line.
  static func dashes(_ style: LineStyle) -> Dashes? {
    switch style {
    case .solid, .markers: nil
    case .dashed: Dashes(on: 3, period: 8)
    case .dotted: Dashes(on: 0, period: 2)
    }
  }

  /// Draws the polyline through `points` in `style` (markers for `.markers`), leaving out
  /// every segment with a non-finite end, so a NaN or infinite point breaks the line.
  static func polyline(_ points: [BrailleCanvas.Point], style: LineStyle, color: Int, on canvas: inout BrailleCanvas) {
    guard style != .markers else { return markers(points, color: color, on: &canvas) }
    var phase = 0.0
    for (a, b) in zip(points, points.dropFirst()) {
      guard [a.x, a.y, b.x, b.y].allSatisfy(\.isFinite) else {
        phase = 0
        continue
      }
      if let dashes = dashes(style) {
        dashed(a, b, dashes, phase: &phase, color: color, on: &canvas)
      } else {
        canvas.drawLine(from: a.x, a.y, to: b.x, b.y, color: color)
      }
    }
  }

  /// Draws a 2×2 cluster of dots at each finite point: the dots `floor(x)…floor(x) + 1`
  /// across and `floor(y)…floor(y) + 1` up, the block whose centre is nearest the point.
  static func markers(_ points: [BrailleCanvas.Point], color: Int, on canvas: inout BrailleCanvas) {
    let (width, height) = (Double(canvas.dotWidth), Double(canvas.dotHeight))
    for point in points where point.x > -2 && point.x < width + 1 && point.y > -2 && point.y < height + 1 {
      let (x0, y0) = (Int(point.x.rounded(.down)), Int(point.y.rounded(.down)))
      for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        canvas.setDot(x: x0 + dx, y: y0 + dy, color: color)
      }
    }
  }

  /// The length of the segment `a`–`b`, computed on halves so that ends near ±1e308 do not
  /// overflow the differences (the result itself may still be infinite).
  private static func distance(_ a: BrailleCanvas.Point, _ b: BrailleCanvas.Point) -> Double {
    2 * hypot(b.x / 2 - a.x / 2, b.y / 2 - a.y / 2)
  }

  /// Draws the dashes of segment `a`–`b` that fall inside the canvas, `phase` being how far
  /// into the pattern the segment starts; on return `phase` is where the next one starts.
  private static func dashed(
    _ a: BrailleCanvas.Point, _ b: BrailleCanvas.Point, _ dashes: Dashes, phase: inout Double,
    color: Int, on canvas: inout BrailleCanvas
  ) {
    let length = distance(a, b)
    let start = phase
    phase = length.isFinite ? (phase + length).truncatingRemainder(dividingBy: dashes.period) : 0
    guard
      let (entry, exit) = BrailleCanvas.clip(
        a, b, width: Double(canvas.dotWidth), height: Double(canvas.dotHeight))
    else { return }
    let visible = distance(entry, exit)
    let into = (start + distance(a, entry)).truncatingRemainder(dividingBy: dashes.period)
    let at = { (s: Double) -> BrailleCanvas.Point in
      let t = visible > 0 ? s / visible : 0
      return (entry.x + t * (exit.x - entry.x), entry.y + t * (exit.y - entry.y))
    }
    var dash = into.isFinite ? -into : 0
    while dash <= visible {
      let (low, high) = (max(dash, 0), min(dash + dashes.on, visible))
      if low <= high {
        let (p, q) = (at(low), at(high))
        canvas.drawLine(from: p.x, p.y, to: q.x, q.y, color: color)
      }
      dash += dashes.period
    }
  }
}
