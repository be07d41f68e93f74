/// Draws one panel (axes) of a figure as `<g class="axes">`, in matplotlib's order from
/// back to front: the white axes background, grid lines (when `grid` is on), the series
/// (clipped to the box by a `<clipPath>`), the frame (spines), ticks and labels, title, and
/// the legend on top.
enum SVGPanel {
  /// Writes `axes` in `box` with its `decorations`; `number` makes its clip path's id unique.
  static func write(
    _ axes: Axes, box: SVGRect, decorations: SVGAxisDecorations, number: Int, into writer: inout SVGWriter
  ) {
    let mapping = PixelMapping(axes: axes, box: box)
    let clip = "clip\(number)"
    writer.open("g", [("class", "axes")])
    writer.open("defs")
    writer.open("clipPath", [("id", clip)])
    writer.element("rect", box.attributes)
    writer.close()
    writer.close()
    writer.element("rect", [("class", "background")] + box.attributes + [("fill", "#ffffff")])
    if axes.grid { decorations.writeGrid(mapping: mapping, into: &writer) }
    writer.open("g", [("class", "data"), ("clip-path", "url(#\(clip))")])
    for series in axes.series { SVGMarks.write(series, mapping: mapping, into: &writer) }
    writer.close()
    writer.element(
      "rect",
      [("class", "frame")] + box.attributes + [
        ("fill", "none"), ("stroke", "#000000"), ("stroke-width", SVGWriter.number(SVGStyle.frameWidth)),
        ("stroke-linejoin", "miter"),
      ])
    decorations.write(mapping: mapping, into: &writer)
    SVGLegend.write(axes, mapping: mapping, into: &writer)
    writer.close()
  }
}
