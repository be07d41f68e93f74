/// Draws a figure as a standalone SVG 1.1 document, what `savefig` writes.
///
/// The document has the XML declaration, a root `<svg>` of the figure's pixel size with a
/// `viewBox` in points (see ``SVGLayout``), a white background, and one `<g class="axes">`
/// per panel (``SVGPanel``). Text is `<text>` in common fonts ending with the generic
/// `sans-serif`; there are no external fonts, images or scripts, so any browser and
/// `rsvg-convert` show it as it is.
enum SVGFigureRenderer {
  /// The SVG text of `figure`.
  static func render(_ figure: Figure) -> String {
    let layout = SVGLayout(figure: figure)
    var writer = SVGWriter()
    let viewBox = SVGWriter.numbers([0, 0, layout.width, layout.height], separator: " ")
    writer.open(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
        ("width", "\(layout.pixelWidth)"), ("height", "\(layout.pixelHeight)"), ("viewBox", viewBox),
        ("font-family", SVGStyle.fontFamily),
      ])
    writer.element(
      "rect",
      [("class", "figure-background")] + SVGRect(x: 0, y: 0, width: layout.width, height: layout.height).attributes
        + [("fill", "#ffffff")])
    for (number, panel) in layout.panels(of: figure).enumerated() {
      SVGPanel.write(panel.axes, box: panel.box, decorations: panel.decorations, number: number + 1, into: &writer)
    }
    writer.close()
    return writer.text
  }
}
