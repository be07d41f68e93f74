import Foundation

/// `Fixtures/pictures_svg.json`, written by `scripts/make_svg_fixtures.py` from matplotlib:
/// figure sizes, axes boxes and tick spaces of panel grids, default line geometry, and where
/// `legend()` puts the legend.
struct SVGGeometryFixture: Codable, Sendable {
  /// A figure of the default size or of `cells` (columns, rows), with panels `panels` of a
  /// `rows`×`columns` grid each plotting [0, 1] against [0, 1].
  struct Layout: Codable, Sendable {
    let name: String, cells: [Int]?, rows: Int, columns: Int, panels: [Int]
    /// The size in pixels and in points.
    let pixels: [Int], points: [Double]
    /// Each panel's box (x, y from the top, width, height in points) and tick spaces.
    let axes: [Panel]
  }
  /// One panel of a layout.
  struct Panel: Codable, Sendable {
    let index: Int, box: [Double], xbins: Int, ybins: Int
  }
  /// Default line geometry: width, scaled dash patterns, marker size, grid colour, frame and tick sizes.
  struct Lines: Codable, Sendable {
    let linewidth: Double, dashed: [Double], dotted: [Double], markersize: Double
    let gridcolor: String, axeslinewidth: Double, ticksize: Double
  }
  /// Where `legend()` puts the legend of one labelled line through `x`, `y`: the corner and
  /// the gap (points) to the nearest axes edges.
  struct Legend: Codable, Sendable {
    let name: String, x: [Double], y: [Double], vertical: String, horizontal: String, gap: Double
  }

  let layouts: [Layout]
  let lines: Lines
  let legends: [Legend]

  /// The fixture file, or nil when it cannot be read (the tests that need it then fail).
  static let shared: SVGGeometryFixture? = try? load()

  static func load() throws -> SVGGeometryFixture {
    try JSONDecoder().decode(SVGGeometryFixture.self, from: Data(contentsOf: FixtureFile.url("pictures_svg.json")))
  }
}
