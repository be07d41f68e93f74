import Foundation

@testable import LossLang

/// `Fixtures/pictures_axes.json`, written by `scripts/make_picture_fixtures.py` from
/// matplotlib itself: tick locations, autoscaled limits, tick labels and the colour cycle.
struct PictureAxesFixture: Codable, Sendable {
  /// One `MaxNLocator(nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(vmin, vmax)` call.
  struct MaxN: Codable, Sendable {
    let vmin: Double, vmax: Double, nbins: Int, ticks: [Double]
  }
  /// One `LogLocator().tick_values(vmin, vmax)` call.
  struct LogTicks: Codable, Sendable {
    let vmin: Double, vmax: Double, ticks: [Double]
  }
  /// `ax.plot(x, y)` on a fresh Axes (y on a `scale` axis) and the limits it autoscaled to.
  struct Limits: Codable, Sendable {
    let name: String, scale: String, x: [Double], y: [Double], xlim: [Double], ylim: [Double]
  }
  /// `ax.set_xlim(lo, hi)` and the limits matplotlib kept.
  struct Explicit: Codable, Sendable {
    let lo: Double, hi: Double, xlim: [Double]
  }
  /// The major tick locations, their labels and multiplier on an axis with view limits
  /// vmin…vmax; `fixed` when the locations were given to matplotlib rather than chosen by its locator.
  struct Labels: Codable, Sendable {
    let vmin: Double, vmax: Double, ticks: [Double], labels: [String]
    var fixed: Bool? = nil
    /// The axis's offset text (`"1e7"`, `""` when none); linear axes only.
    var multiplier: String? = nil
  }

  let matplotlib: String
  let maxn: [MaxN]
  let log: [LogTicks]
  let limits: [Limits]
  let explicit: [Explicit]
  let labels: [Labels]
  let loglabels: [Labels]
  let colors: [String]

  /// The fixture file, or nil when it cannot be read (the tests that need it then fail).
  static let shared: PictureAxesFixture? = try? load()

  static func load() throws -> PictureAxesFixture {
    try JSONDecoder().decode(PictureAxesFixture.self, from: Data(contentsOf: FixtureFile.url("pictures_axes.json")))
  }
}
