/// Draws a panel's legend as `<g class="legend">`: a white, slightly translucent box with a
/// light gray frame and, per labelled series, a `<g class="legend-entry">` with a sample of
/// its mark (the handle) and its label, in matplotlib's default geometry.
///
/// Placement is matplotlib's `loc="best"`, simplified: of the places its location codes name
/// inside the axes (upper right, upper left, lower left, lower right, right, center left,
/// center right, lower center, upper center, center — its order of preference; "right" and
/// "center right" are one place), the first whose box covers the fewest data points, bars
/// and crossing lines.
enum SVGLegend {
  /// The legend's font size.
  private static let em = SVGStyle.fontSize
  /// Space inside the frame (`legend.borderpad` 0.4 em).
  private static let borderPad = 0.4 * em
  /// Space between entries (`legend.labelspacing` 0.5 em).
  private static let labelSpacing = 0.5 * em
  /// Length of a handle (`legend.handlelength` 2 em).
  private static let handleLength = 2 * em
  /// Height of a bar handle (`legend.handleheight` 0.7 em).
  private static let handleHeight = 0.7 * em
  /// Space between a handle and its label (`legend.handletextpad` 0.8 em).
  private static let handleTextPad = 0.8 * em
  /// Space between the legend and the axes frame (`legend.borderaxespad` 0.5 em).
  private static let borderAxesPad = 0.5 * em

  /// Writes the legend of `axes` (nothing when no series has a label).
  static func write(_ axes: Axes, mapping: PixelMapping, into writer: inout SVGWriter) {
    let entries = axes.legendEntries
    guard !entries.isEmpty else { return }
    let frame = place(size(of: entries), series: axes.series, mapping: mapping)
    writer.open("g", [("class", "legend"), ("font-size", SVGWriter.number(em))])
    writer.element(
      "rect",
      [("class", "legend-frame")] + frame.attributes + [
        ("rx", "2"), ("fill", "#ffffff"), ("fill-opacity", "0.8"), ("stroke", "#cccccc"), ("stroke-width", "1"),
      ])
    for (row, entry) in entries.enumerated() {
      let middle = frame.y + borderPad + (Double(row) + 0.5) * em + Double(row) * labelSpacing
      writeEntry(entry, left: frame.x + borderPad, middle: middle, into: &writer)
    }
    writer.close()
  }

  /// The legend box's width and height for `entries`.
  static func size(of entries: [Series]) -> (width: Double, height: Double) {
    let widest = entries.map { SVGStyle.textWidth($0.label ?? "", size: em) }.max() ?? 0
    let rows = Double(entries.count)
    return (
      2 * borderPad + handleLength + handleTextPad + widest,
      2 * borderPad + rows * em + (rows - 1) * labelSpacing
    )
  }

  /// The box for a legend of `size` covering the least of `series`, of matplotlib's
  /// locations in its order of preference.
  private static func place(_ size: (width: Double, height: Double), series: [Series], mapping: PixelMapping) -> SVGRect {
    let box = mapping.box
    let (left, right) = (box.x + borderAxesPad, box.maxX - borderAxesPad - size.width)
    let (top, bottom) = (box.y + borderAxesPad, box.maxY - borderAxesPad - size.height)
    let (center, middle) = (box.x + (box.width - size.width) / 2, box.y + (box.height - size.height) / 2)
    // upper right, upper left, lower left, lower right, right, center left, center right,
    // lower center, upper center, center.
    let corners = [
      (right, top), (left, top), (left, bottom), (right, bottom), (right, middle), (left, middle), (right, middle),
      (center, bottom), (center, top), (center, middle),
    ].map { SVGRect(x: $0.0, y: $0.1, width: size.width, height: size.height) }
    let footprints = series.map { Footprint($0, mapping: mapping) }
    let costs = corners.map { corner in footprints.reduce(0) { $0 + $1.cost(corner) } }
    let best = costs.indices.min { costs[$0] < costs[$1] } ?? 0
    return corners[best]
  }

  /// What of one series a legend could hide, in user units.
  private struct Footprint {
    /// Points (line vertices, marker centres), each hidden when within `reach` of the box.
    var points: [SegmentClip.Point] = []
    /// How far a point reaches: a marker's radius, 0 for a line's vertex.
    var reach = 0.0
    /// The runs of a line (a reference line as one run across the axes).
    var runs: [[SegmentClip.Point]] = []
    /// The bars.
    var bars: [SVGRect] = []

    /// The footprint of `series` mapped by `mapping`.
    init(_ series: Series, mapping: PixelMapping) {
      let box = mapping.box
      switch series.mark {
      case .line(.markers), .scatter:
        points = zip(series.x, series.y).map { mapping.point($0, $1) }
        reach = SVGStyle.markerRadius
      case .line:
        runs = SVGMarks.runs(series, mapping: mapping)
        points = Array(runs.joined())
      case .bars(let widths):
        bars = SVGMarks.bars(series, widths: widths, mapping: mapping, bounds: box.expanded(by: SVGMarks.overhang))
      case .verticalLine, .horizontalLine:
        runs = SVGMarks.referenceLine(series, mapping: mapping).map { [$0] } ?? []
      }
    }

    /// How much the box `rect` would hide, as matplotlib's "best" counts: the points in it,
    /// the bars overlapping it, and one if a line crosses it.
    func cost(_ rect: SVGRect) -> Int {
      let reachable = rect.expanded(by: reach)
      let crosses = runs.contains { run in
        zip(run, run.dropFirst()).contains { rect.meets($0, $1) }
      }
      return points.count { reachable.contains($0) } + bars.count { $0.intersects(rect) } + (crosses ? 1 : 0)
    }
  }

  /// One entry: the handle in the `handleLength` after `left`, then the label, centred
  /// vertically on `middle`.
  private static func writeEntry(_ entry: Series, left: Double, middle: Double, into writer: inout SVGWriter) {
    writer.open("g", [("class", "legend-entry")])
    writer.open("g", [("class", "handle " + SVGMarks.kind(entry.mark))] + SVGMarks.attributes(entry))
    let (start, end) = (SVGWriter.number(left), SVGWriter.number(left + handleLength))
    switch entry.mark {
    case .line(.markers), .scatter:
      writer.element("circle", SVGMarks.circle(at: (left + handleLength / 2, middle)))
    case .bars:
      let rect = SVGRect(x: left, y: middle - handleHeight / 2, width: handleLength, height: handleHeight)
      writer.element("rect", rect.attributes)
    case .line, .verticalLine, .horizontalLine:
      writer.element("path", [("d", "M\(start) \(SVGWriter.number(middle))H\(end)")])
    }
    writer.close()
    let textX = left + handleLength + handleTextPad
    writer.element(
      "text", [("x", SVGWriter.number(textX)), ("y", SVGWriter.number(middle + SVGStyle.middle * em))],
      content: entry.label ?? "")
    writer.close()
  }
}
