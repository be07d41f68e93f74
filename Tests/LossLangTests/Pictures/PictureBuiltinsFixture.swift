import Foundation

/// `Fixtures/pictures_builtins.json`, written by `scripts/make_plot_fixtures.py` from numpy,
/// torch and matplotlib: the points `plot(f, lo, hi)` samples, a loss drawn that way, and the
/// bars `bar` and `hist` draw.
struct PictureBuiltinsFixture: Codable, Sendable {
  /// `numpy.linspace(lo, hi, n)`.
  struct Linspace: Codable, Sendable {
    let lo: Double, hi: Double, n: Int, xs: [Double]
  }
  /// `huber_loss(r, 0, reduction="none")` in float64 at `numpy.linspace(lo, hi, n)`.
  struct Huber: Codable, Sendable {
    let lo: Double, hi: Double, n: Int, ys: [Double]
  }
  /// `plt.bar(labels, heights)`: the bars' left edges, widths and heights, the x ticks and
  /// their labels.
  struct Bar: Codable, Sendable {
    let labels: [String], heights: [Double], left: [Double], widths: [Double]
    let bar_heights: [Double], ticks: [Double], tick_labels: [String]
  }
  /// `plt.hist(values, bins)`: the bars' left edges, widths and heights.
  struct Hist: Codable, Sendable {
    let name: String, values: [Double], bins: Int, left: [Double], widths: [Double], heights: [Double]
  }

  let linspace: [Linspace]
  let huber: [Huber]
  let bars: [Bar]
  let hists: [Hist]

  /// The fixture file, or nil when it cannot be read (the tests that need it then fail).
  static let shared: PictureBuiltinsFixture? = try? load()

  static func load() throws -> PictureBuiltinsFixture {
    try JSONDecoder().decode(
      PictureBuiltinsFixture.self, from: Data(contentsOf: FixtureFile.url("pictures_builtins.json")))
  }
}
