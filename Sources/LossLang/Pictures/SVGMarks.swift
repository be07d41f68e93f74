/// Draws a panel's series as SVG: one `<g class="series …">` per series, holding a `<title>`
/// with its label (a browser shows it on hover), then its marks.
///
/// - A line (`"-"`, `"--"`, `":"`) is one `<path>` per unbroken run of finite points (a NaN
///   or infinite point, or on a log axis a non-positive y, ends a run and is skipped);
///   segments are clipped to a little beyond the axes box, so far-away points cost nothing.
/// - Markers (`"o"`) and scatter points are `<circle>`s; bars are `<rect>`s from the base
///   (0, or the bottom of a log axis) to their height.
/// - `axvline` / `axhline` are one `<path>` across the whole axes (none when outside it).
///
/// Everything is drawn inside the panel's clip path, so marks end exactly at the frame.
enum SVGMarks {
  /// How far beyond the axes box marks are kept before the clip path cuts them.
  static let overhang = 10.0

  /// Writes `series` mapped by `mapping`.
  static func write(_ series: Series, mapping: PixelMapping, into writer: inout SVGWriter) {
    let bounds = mapping.box.expanded(by: overhang)
    writer.open("g", [("class", "series " + kind(series.mark))] + attributes(series))
    if let label = series.label { writer.element("title", content: label) }
    switch series.mark {
    case .line(.markers), .scatter:
      for (x, y) in zip(series.x, series.y) {
        let p = mapping.point(x, y)
        guard p.x.isFinite, p.y.isFinite, bounds.contains(p) else { continue }
        writer.element("circle", circle(at: p))
      }
    case .line:
      for run in runs(series, mapping: mapping) {
        let d = pathData(run, bounds: bounds)
        if !d.isEmpty { writer.element("path", [("d", d)]) }
      }
    case .bars(let widths):
      for rect in bars(series, widths: widths, mapping: mapping, bounds: bounds) {
        writer.element("rect", rect.attributes)
      }
    case .verticalLine, .horizontalLine:
      let d = referenceLine(series, mapping: mapping).map { pathData($0, bounds: bounds) } ?? ""
      if !d.isEmpty { writer.element("path", [("d", d)]) }
    }
    writer.close()
  }

  /// The ends of an `axvline` / `axhline` across the axes box; nil for another mark or a
  /// position that does not map to a finite one.
  static func referenceLine(_ series: Series, mapping: PixelMapping) -> [SegmentClip.Point]? {
    let box = mapping.box
    switch series.mark {
    case .verticalLine:
      let x = mapping.x(series.x[0])
      return x.isFinite ? [(x, box.y), (x, box.maxY)] : nil
    case .horizontalLine:
      let y = mapping.y(series.y[0])
      return y.isFinite ? [(box.x, y), (box.maxX, y)] : nil
    case .line, .scatter, .bars:
      return nil
    }
  }

  /// The mark's name in the group's class: `line`, `markers`, `scatter`, `bars`, `vline`, `hline`.
  static func kind(_ mark: Series.Mark) -> String {
    switch mark {
    case .line(.markers): "markers"
    case .line: "line"
    case .scatter: "scatter"
    case .bars: "bars"
    case .verticalLine: "vline"
    case .horizontalLine: "hline"
    }
  }

  /// The paint of a series' group: a fill for markers and bars, a stroke (with its dash
  /// pattern) for lines.
  static func attributes(_ series: Series) -> [SVGWriter.Attribute] {
    switch series.mark {
    case .line(.markers), .scatter: [("fill", series.color), ("stroke", "none")]
    // Crisp edges: adjacent bars (a histogram) meet without an anti-aliased seam.
    case .bars: [("fill", series.color), ("stroke", "none"), ("shape-rendering", "crispEdges")]
    case .line(let style), .verticalLine(let style), .horizontalLine(let style): stroke(style, color: series.color)
    }
  }

  /// A line's stroke: colour, width, round joins, and matplotlib's caps (projecting when
  /// solid, butt when dashed) and dash pattern.
  private static func stroke(_ style: LineStyle, color: String) -> [SVGWriter.Attribute] {
    var attributes: [SVGWriter.Attribute] = [
      ("fill", "none"), ("stroke", color), ("stroke-width", SVGWriter.number(SVGStyle.lineWidth)),
      ("stroke-linejoin", "round"),
    ]
    if let dashes = SVGStyle.dashes(style) {
      attributes += [("stroke-linecap", "butt"), ("stroke-dasharray", SVGWriter.numbers(dashes))]
    } else {
      attributes.append(("stroke-linecap", "square"))
    }
    return attributes
  }

  /// A marker's circle attributes at `point`.
  static func circle(at point: SegmentClip.Point) -> [SVGWriter.Attribute] {
    [("cx", SVGWriter.number(point.x)), ("cy", SVGWriter.number(point.y)), ("r", SVGWriter.number(SVGStyle.markerRadius))]
  }

  /// The series' points in user units, split into runs at points that cannot be drawn.
  static func runs(_ series: Series, mapping: PixelMapping) -> [[SegmentClip.Point]] {
    var runs: [[SegmentClip.Point]] = [[]]
    for (x, y) in zip(series.x, series.y) {
      let p = mapping.point(x, y)
      if p.x.isFinite && p.y.isFinite {
        runs[runs.count - 1].append(p)
      } else if !runs[runs.count - 1].isEmpty {
        runs.append([])
      }
    }
    return runs.filter { !$0.isEmpty }
  }

  /// The `d` of a path through `run`, clipped to `bounds`: the pen lifts where the line
  /// leaves them; empty when no segment is inside (or the run is a single point).
  private static func pathData(_ run: [SegmentClip.Point], bounds: SVGRect) -> String {
    var d = ""
    var pen: SegmentClip.Point?
    for (a, b) in zip(run, run.dropFirst()) {
      let inside = bounds.contains(a) && bounds.contains(b)
      guard let (start, end) = inside ? (a, b) : SegmentClip.clip(a, b, edges: bounds.edges) else {
        pen = nil
        continue
      }
      if pen.map({ $0 != start }) ?? true { d += "M" + coordinates(start) }
      d += "L" + coordinates(end)
      pen = end
    }
    return d
  }

  /// `x y` of a point.
  private static func coordinates(_ p: SegmentClip.Point) -> String {
    SVGWriter.number(p.x) + " " + SVGWriter.number(p.y)
  }

  /// The rectangle of each drawable bar (finite edges and height), cut to `bounds`; bars
  /// entirely outside are left out.
  static func bars(_ series: Series, widths: [Double], mapping: PixelMapping, bounds: SVGRect) -> [SVGRect] {
    zip(zip(series.x, widths), series.y).compactMap { edge, height in
      let (left, right) = (mapping.x(edge.0), mapping.x(edge.0 + edge.1))
      let (base, top) = (mapping.y(mapping.barBase), mapping.y(height))
      guard [left, right, base, top].allSatisfy(\.isFinite) else { return nil }
      let x0 = Swift.max(Swift.min(left, right), bounds.x), x1 = Swift.min(Swift.max(left, right), bounds.maxX)
      let y0 = Swift.max(Swift.min(base, top), bounds.y), y1 = Swift.min(Swift.max(base, top), bounds.maxY)
      guard x0 <= x1, y0 <= y1 else { return nil }
      return SVGRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
  }
}
