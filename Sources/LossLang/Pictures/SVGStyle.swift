/// The look of an SVG figure: matplotlib's default rcParams in points (the SVG's user unit),
/// the figure size, and an estimate of how wide a text is.
///
/// The document is `width × height` pixels at matplotlib's 100 dpi with a `viewBox` in
/// points (72 per inch), as matplotlib's own SVGs: 640×480 px is a viewBox of 460.8×345.6,
/// and every size below is matplotlib's default in points.
enum SVGStyle {
  /// Points per pixel at 100 dpi.
  static let pointsPerPixel = 0.72
  /// The default size in pixels: matplotlib's 6.4×4.8 inches at 100 dpi.
  static let defaultPixels = (width: 640, height: 480)
  /// Pixels per text column and row when `figure(width=, height=)` gives the size in cells.
  static let pixelsPerCell = (width: 8, height: 20)

  /// The fonts asked for, all common, ending in the generic family.
  static let fontFamily = "DejaVu Sans, Arial, Helvetica, sans-serif"
  /// Tick labels, axis labels, legend text and multipliers (`font.size` 10).
  static let fontSize = 10.0
  /// The title (`axes.titlesize` large = 12).
  static let titleFontSize = 12.0
  /// A font's height above the baseline, in ems (DejaVu Sans: 0.76).
  static let ascent = 0.76
  /// A font's depth below the baseline, in ems (DejaVu Sans: 0.24).
  static let descent = 0.24
  /// The baseline offset that centres digits vertically on a point, in ems.
  static let middle = 0.36

  /// Series lines (`lines.linewidth`).
  static let lineWidth = 1.5
  /// Marker and scatter radius: `lines.markersize` 6 is the diameter.
  static let markerRadius = 3.0
  /// The frame and the ticks (`axes.linewidth`, `xtick.major.width`).
  static let frameWidth = 0.8
  /// Tick length, outward (`xtick.major.size`).
  static let tickLength = 3.5
  /// Gap between a tick and its label (`xtick.major.pad`).
  static let tickPad = 3.5
  /// Gap between tick labels and the axis label (`axes.labelpad`).
  static let labelPad = 4.0
  /// Gap between the axes and the title's baseline (`axes.titlepad`).
  static let titlePad = 6.0
  /// Grid lines (`grid.color`, `grid.linewidth`).
  static let grid = (color: "#b0b0b0", width: 0.8)

  /// The dash pattern of a line style, scaled by the line width as matplotlib scales
  /// `lines.dashed_pattern` (3.7, 1.6) and `lines.dotted_pattern` (1, 1.65); nil when solid.
  static func dashes(_ style: LineStyle) -> [Double]? {
    switch style {
    case .dashed: [3.7 * lineWidth, 1.6 * lineWidth]
    case .dotted: [1 * lineWidth, 1.65 * lineWidth]
    case .solid, .markers: nil
    }
  }

  /// The estimated width of `text` at `size`: 0.62 em a character (DejaVu Sans' digits are
  /// 0.64, most letters narrower), a full em for wide (CJK and later) characters. Used to
  /// make room for labels and to size the legend box.
  static func textWidth(_ text: String, size: Double) -> Double {
    text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 1 : 0.62) } * size
  }
}
