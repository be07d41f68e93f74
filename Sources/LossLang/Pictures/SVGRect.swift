/// An axis-aligned rectangle in SVG user units (points), y down as SVG has it.
struct SVGRect: Sendable, Equatable {
  /// The left edge.
  var x: Double
  /// The top edge.
  var y: Double
  /// The width.
  var width: Double
  /// The height.
  var height: Double

  /// The right edge.
  var maxX: Double { x + width }
  /// The bottom edge.
  var maxY: Double { y + height }

  /// The edges as `SegmentClip` takes them: left, right, top, bottom (the smaller y first).
  var edges: [Double] { [x, maxX, y, maxY] }

  /// The rectangle grown by `margin` on every side.
  func expanded(by margin: Double) -> SVGRect {
    SVGRect(x: x - margin, y: y - margin, width: width + 2 * margin, height: height + 2 * margin)
  }

  /// Whether `point` lies inside or on the edge.
  func contains(_ point: SegmentClip.Point) -> Bool {
    x <= point.x && point.x <= maxX && y <= point.y && point.y <= maxY
  }

  /// Whether the segment `a`–`b` (finite ends) passes through the rectangle: a quick test
  /// of the segment's bounding box first, then ``SegmentClip``.
  func meets(_ a: SegmentClip.Point, _ b: SegmentClip.Point) -> Bool {
    if Swift.max(a.x, b.x) < x || Swift.min(a.x, b.x) > maxX || Swift.max(a.y, b.y) < y || Swift.min(a.y, b.y) > maxY {
      return false
    }
    return contains(a) || contains(b) || SegmentClip.clip(a, b, edges: edges) != nil
  }

  /// Whether the two rectangles overlap (share more than an edge).
  func intersects(_ other: SVGRect) -> Bool {
    x < other.maxX && other.x < maxX && y < other.maxY && other.y < maxY
  }

  /// The rectangle's position and size as SVG `rect` attributes.
  var attributes: [SVGWriter.Attribute] {
    [
      ("x", SVGWriter.number(x)), ("y", SVGWriter.number(y)),
      ("width", SVGWriter.number(width)), ("height", SVGWriter.number(height)),
    ]
  }
}
