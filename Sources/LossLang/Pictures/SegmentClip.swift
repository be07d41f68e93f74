/// Clipping a line segment to an axis-aligned rectangle (Liang–Barsky), robust to ends far
/// outside it: both renderers clip before drawing, so an end at 1e300 costs nothing.
enum SegmentClip {
  /// A point of the plane.
  typealias Point = (x: Double, y: Double)

  /// The part of the segment `a`–`b` (finite ends) inside the rectangle `edges` = (left,
  /// right, bottom, top) with left ≤ right and bottom ≤ top, or nil when none is.
  ///
  /// Each end of the clipped part lies exactly on the edge where the segment crosses into or
  /// out of the rectangle, and its other coordinate is interpolated from the nearer original
  /// end, so an end far outside (say at 1e300) costs no precision where it matters; when
  /// both ends are far, the clipped part is as accurate as their magnitudes allow.
  static func clip(_ a: Point, _ b: Point, edges: [Double]) -> (Point, Point)? {
    guard let forward = Crossing(a, b, edges: edges), let backward = Crossing(b, a, edges: edges)
    else { return nil }
    // The entry point is at `forward.enter` from a and `backward.leave` from b; the exit at
    // `forward.leave` from a and `backward.enter` from b.
    var entry = forward.enter <= 0.5 ? along(a, b, forward.enter) : along(b, a, backward.leave)
    var exit = backward.enter <= 0.5 ? along(b, a, backward.enter) : along(a, b, forward.leave)
    forward.enterEdge.map { snap(&entry, to: $0, edges) }
    forward.leaveEdge.map { snap(&exit, to: $0, edges) }
    return (entry, exit)
  }

  /// Puts `point` exactly on edge `edge` (0 left, 1 right, 2 bottom, 3 top) of `edges`.
  private static func snap(_ point: inout Point, to edge: Int, _ edges: [Double]) {
    if edge < 2 { point.x = edges[edge] } else { point.y = edges[edge] }
  }

  /// The range of `t` in [0, 1] for which `a + t·(b - a)` lies in a rectangle, with the
  /// edges that bound it (Liang–Barsky).
  private struct Crossing {
    /// Where the segment enters the rectangle, and the edge it crosses there (nil: at `a`).
    var enter = 0.0, enterEdge: Int? = nil
    /// Where the segment leaves the rectangle, and the edge it crosses there (nil: at `b`).
    var leave = 1.0, leaveEdge: Int? = nil

    /// The crossing of the segment `a`–`b` with the rectangle of `edges` (left, right, bottom,
    /// top), or nil when the segment misses it.
    ///
    /// Works on halved coordinates so that differences stay finite for ends near ±1e308; the
    /// crossing parameters, being ratios, are unchanged by the halving.
    init?(_ a: Point, _ b: Point, edges: [Double]) {
      let (dx, dy) = (b.x / 2 - a.x / 2, b.y / 2 - a.y / 2)
      // Each edge as (p, q): the point at parameter t is inside that edge when t·p <= q.
      let bounds = [
        (-dx, a.x / 2 - edges[0] / 2), (dx, edges[1] / 2 - a.x / 2),
        (-dy, a.y / 2 - edges[2] / 2), (dy, edges[3] / 2 - a.y / 2),
      ]
      for (edge, (p, q)) in bounds.enumerated() {
        if p == 0 {
          if q < 0 { return nil }
        } else if p < 0, q / p > enter {
          (enter, enterEdge) = (q / p, edge)
        } else if p > 0, q / p < leave {
          (leave, leaveEdge) = (q / p, edge)
        }
      }
      guard enter <= leave else { return nil }
    }
  }

  /// The point at parameter `t` from `a` towards `b`, without forming `b - a` (which may
  /// overflow); ``clip(_:_:edges:)`` keeps `t` at about 0.5 or less, so that the step
  /// `t·(b - a)` stays finite too.
  private static func along(_ a: Point, _ b: Point, _ t: Double) -> Point {
    (x: a.x + t * (b.x / 2 - a.x / 2) * 2, y: a.y + t * (b.y / 2 - a.y / 2) * 2)
  }
}
