/// The ticks, tick labels, multipliers, axis labels and title around one axes box, placed
/// as matplotlib places them, and the room they need outside the box (for the layout).
///
/// Ticks point outward (3.5 pt) with their labels 3.5 pt beyond; the number of tick
/// intervals asked of the locator follows matplotlib's `get_tick_space`: the axis length
/// over three label heights (x) or two (y), at most 9. The multiplier (`1e7`) sits at the
/// right end below the x tick labels and above the top of the y axis; the x label is
/// centred below the tick labels, the y label rotated a quarter turn left of them, the
/// title centred 6 pt above the box.
struct SVGAxisDecorations {
  /// The axes drawn.
  let axes: Axes
  /// The axes box.
  let box: SVGRect
  /// The x ticks for the box's width.
  let xTicks: AxisTicks
  /// The y ticks for the box's height.
  let yTicks: AxisTicks

  /// The decorations of `axes` around `box`.
  init(axes: Axes, box: SVGRect) {
    self.axes = axes
    self.box = box
    xTicks = axes.xTicks(nbins: Self.bins(box.width, labelsPerInterval: 3))
    yTicks = axes.yTicks(nbins: Self.bins(box.height, labelsPerInterval: 2))
  }

  /// matplotlib's tick space: how many label heights times `labelsPerInterval` fit in `length`, 1…9.
  private static func bins(_ length: Double, labelsPerInterval: Double) -> Int {
    let fitting = (length / (SVGStyle.fontSize * labelsPerInterval)).rounded(.down)
    return fitting.isFinite ? Int(Swift.min(Swift.max(fitting, 1), 9)) : 1
  }

  /// The room needed left of, below and above the box.
  var insets: (left: Double, bottom: Double, top: Double) {
    let em = SVGStyle.fontSize
    let ticks = SVGStyle.tickLength + SVGStyle.tickPad
    let left = ticks + widestYLabel + (axes.ylabel == nil ? 0 : SVGStyle.labelPad + em)
    let secondLine = axes.xlabel != nil || xTicks.multiplier != nil
    let bottom = ticks + em + (secondLine ? SVGStyle.labelPad + em : 0)
    let title = axes.title == nil ? 0 : SVGStyle.titlePad + SVGStyle.ascent * SVGStyle.titleFontSize
    let multiplier = yTicks.multiplier == nil ? 0 : SVGStyle.labelPad + SVGStyle.ascent * em
    return (left, bottom, Swift.max(title, multiplier))
  }

  /// The estimated width of the widest y tick label.
  private var widestYLabel: Double {
    yTicks.labels.map { SVGStyle.textWidth($0, size: SVGStyle.fontSize) }.max() ?? 0
  }

  /// Writes the ticks and their labels, the multipliers, the axis labels and the title.
  func write(mapping: PixelMapping, into writer: inout SVGWriter) {
    writeXTicks(mapping: mapping, into: &writer)
    writeYTicks(mapping: mapping, into: &writer)
    let em = SVGStyle.fontSize
    let ticks = SVGStyle.tickLength + SVGStyle.tickPad
    let secondLine = box.maxY + ticks + em + SVGStyle.labelPad + SVGStyle.ascent * em
    if let multiplier = xTicks.multiplier {
      text(multiplier, class: "xmultiplier", at: (box.maxX, secondLine), anchor: "end", into: &writer)
    }
    if let multiplier = yTicks.multiplier {
      text(multiplier, class: "ymultiplier", at: (box.x, box.y - SVGStyle.labelPad), anchor: "start", into: &writer)
    }
    if let xlabel = axes.xlabel {
      text(xlabel, class: "xlabel", at: (box.x + box.width / 2, secondLine), into: &writer)
    }
    if let ylabel = axes.ylabel {
      let x = box.x - ticks - widestYLabel - SVGStyle.labelPad - SVGStyle.descent * em
      text(ylabel, class: "ylabel", at: (x, box.y + box.height / 2), rotated: true, into: &writer)
    }
    if let title = axes.title {
      text(title, class: "title", at: (box.x + box.width / 2, box.y - SVGStyle.titlePad), size: SVGStyle.titleFontSize, into: &writer)
    }
  }

  /// The positions of `ticks` along an axis mapped by `position`, with their labels; ticks
  /// that would fall outside the box (a category beyond `xlim`) are left out.
  private func visible(_ ticks: AxisTicks, _ position: (Double) -> Double, within range: ClosedRange<Double>)
    -> [(position: Double, label: String)]
  {
    zip(ticks.values, ticks.labels).compactMap { value, label in
      let p = position(value)
      return p.isFinite && range.contains(p) ? (p, label) : nil
    }
  }

  /// The x ticks: `<g class="xtick">` with the tick line and its label below.
  private func writeXTicks(mapping: PixelMapping, into writer: inout SVGWriter) {
    let baseline = box.maxY + SVGStyle.tickLength + SVGStyle.tickPad + SVGStyle.ascent * SVGStyle.fontSize
    writer.open("g", [("class", "xaxis"), ("font-size", SVGWriter.number(SVGStyle.fontSize)), ("text-anchor", "middle")])
    for tick in visible(xTicks, mapping.x, within: (box.x - 0.01)...(box.maxX + 0.01)) {
      writer.open("g", [("class", "xtick")])
      tickLine(from: (tick.position, box.maxY), to: (tick.position, box.maxY + SVGStyle.tickLength), into: &writer)
      writer.element("text", [("x", SVGWriter.number(tick.position)), ("y", SVGWriter.number(baseline))], content: tick.label)
      writer.close()
    }
    writer.close()
  }

  /// The y ticks: `<g class="ytick">` with the tick line and its label to the left.
  private func writeYTicks(mapping: PixelMapping, into writer: inout SVGWriter) {
    let right = box.x - SVGStyle.tickLength - SVGStyle.tickPad
    writer.open("g", [("class", "yaxis"), ("font-size", SVGWriter.number(SVGStyle.fontSize)), ("text-anchor", "end")])
    for tick in visible(yTicks, mapping.y, within: (box.y - 0.01)...(box.maxY + 0.01)) {
      writer.open("g", [("class", "ytick")])
      tickLine(from: (box.x - SVGStyle.tickLength, tick.position), to: (box.x, tick.position), into: &writer)
      let baseline = tick.position + SVGStyle.middle * SVGStyle.fontSize
      writer.element("text", [("x", SVGWriter.number(right)), ("y", SVGWriter.number(baseline))], content: tick.label)
      writer.close()
    }
    writer.close()
  }

  /// A tick mark: a black line of the frame's width.
  private func tickLine(from a: SegmentClip.Point, to b: SegmentClip.Point, into writer: inout SVGWriter) {
    writer.element(
      "line",
      [
        ("x1", SVGWriter.number(a.x)), ("y1", SVGWriter.number(a.y)), ("x2", SVGWriter.number(b.x)),
        ("y2", SVGWriter.number(b.y)), ("stroke", "#000000"), ("stroke-width", SVGWriter.number(SVGStyle.frameWidth)),
      ])
  }

  /// A `<text class=…>` with its baseline at `point`, optionally rotated a quarter turn
  /// counter-clockwise about it (reading upward).
  private func text(
    _ content: String, class name: String, at point: SegmentClip.Point, anchor: String = "middle",
    size: Double = SVGStyle.fontSize, rotated: Bool = false, into writer: inout SVGWriter
  ) {
    let (x, y) = (SVGWriter.number(point.x), SVGWriter.number(point.y))
    var attributes: [SVGWriter.Attribute] = [
      ("class", name), ("x", x), ("y", y), ("font-size", SVGWriter.number(size)), ("text-anchor", anchor),
    ]
    if rotated { attributes.append(("transform", "rotate(-90 \(x) \(y))")) }
    writer.element("text", attributes, content: content)
  }

  /// Grid lines across the box at every visible tick, light gray, under the data.
  func writeGrid(mapping: PixelMapping, into writer: inout SVGWriter) {
    writer.open("g", [("class", "grid"), ("stroke", SVGStyle.grid.color), ("stroke-width", SVGWriter.number(SVGStyle.grid.width))])
    for tick in visible(xTicks, mapping.x, within: box.x...box.maxX) {
      let x = SVGWriter.number(tick.position)
      writer.element("path", [("d", "M\(x) \(SVGWriter.number(box.y))V\(SVGWriter.number(box.maxY))")])
    }
    for tick in visible(yTicks, mapping.y, within: box.y...box.maxY) {
      let y = SVGWriter.number(tick.position)
      writer.element("path", [("d", "M\(SVGWriter.number(box.x)) \(y)H\(SVGWriter.number(box.maxX))")])
    }
    writer.close()
  }
}
