import Foundation

@testable import LossLang

/// `Fixtures/pictures_figure.json`, written by `scripts/make_figure_fixtures.py` from numpy
/// and matplotlib: histogram bins, colour names and the colours of a sequence of calls.
struct FigureModelFixture: Codable, Sendable {
  /// One `numpy.histogram(finite values, bins)`; `values` has null where the input was NaN or infinite.
  struct HistogramCase: Codable, Sendable {
    let name: String, values: [Double?], bins: Int, edges: [Double], counts: [Double]
  }
  /// `matplotlib.colors.to_hex(name)`.
  struct ColorName: Codable, Sendable {
    let name: String, hex: String
  }
  /// Calls on one fresh Axes without a colour and the colour each one got.
  struct Cycles: Codable, Sendable {
    let calls: [String], colors: [String]
  }

  let histograms: [HistogramCase]
  let colors: [ColorName]
  let cycles: Cycles

  /// The fixture file, or nil when it cannot be read (the tests that need it then fail).
  static let shared: FigureModelFixture? = try? load()

  static func load() throws -> FigureModelFixture {
    try JSONDecoder().decode(FigureModelFixture.self, from: Data(contentsOf: FixtureFile.url("pictures_figure.json")))
  }
}
