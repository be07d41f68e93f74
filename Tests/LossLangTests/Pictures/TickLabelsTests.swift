import Testing

@testable import LossLang

/// `TickLabels` against the labels matplotlib draws (Agg backend) and `ColorCycle` against
/// its default property cycle.
@Suite struct TickLabelsTests {
  /// ScalarFormatter(useOffset=False) labels for every tick matplotlib placed and the
  /// axis's multiplier text, with its U+2212 minus written as ASCII `-` (the documented
  /// difference).
  @Test(arguments: 0..<(PictureAxesFixture.shared?.labels.count ?? 1))
  func linearLabelsMatchScalarFormatter(_ index: Int) throws {
    let cases = try PictureAxesFixture.load().labels
    let c = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let ascii = { (text: String) in text.replacingOccurrences(of: "\u{2212}", with: "-") }
    let got = TickLabels.linear(c.ticks, view: AxisLimits(lower: c.vmin, upper: c.vmax))
    #expect(got.labels == c.labels.map(ascii), "ticks \(c.ticks) on \(c.vmin)…\(c.vmax)")
    #expect((got.multiplier ?? "") == ascii(try #require(c.multiplier)), "ticks \(c.ticks) on \(c.vmin)…\(c.vmax)")
  }

  /// The locator gives the ticks matplotlib labelled (those it chose itself) for an axis whose
  /// tick space allows 9 bins (the default figure's x axis).
  @Test(arguments: 0..<(PictureAxesFixture.shared?.labels.count ?? 1))
  func locatorTicksAreMatplotlibs(_ index: Int) throws {
    let cases = try PictureAxesFixture.load().labels
    let c = try #require(cases.indices.contains(index) ? cases[index] : nil)
    guard c.fixed != true else { return }  // matplotlib was given these ticks
    let got = TickLocator.linear(c.vmin, c.vmax, nbins: 9)
    let scale = c.ticks.map(abs).max() ?? 1
    #expect(Tolerance(rtol: 1e-12, atol: 1e-12 * scale).mismatch(got, c.ticks) == nil, "\(got) vs \(c.ticks)")
  }

  /// Log-axis labels: matplotlib's mathtext `$\mathdefault{10^{k}}$` is our `10` followed by
  /// k in superscripts; read ours back digit by digit and compare the exponents.
  @Test(arguments: 0..<(PictureAxesFixture.shared?.loglabels.count ?? 1))
  func logLabelsMatchLogFormatter(_ index: Int) throws {
    let cases = try PictureAxesFixture.load().loglabels
    let c = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let got = TickLabels.log(c.ticks)
    try #require(got.count == c.labels.count)
    for (ours, theirs) in zip(got, c.labels) {
      let wantExponent = try #require(Int(theirs.replacingOccurrences(of: "$\\mathdefault{10^{", with: "")
        .replacingOccurrences(of: "}}$", with: "")), "unexpected matplotlib label \(theirs)")
      #expect(ours.hasPrefix("10"), "\(ours)")
      let plain = String(ours.dropFirst(2).map { Self.unsuperscript[$0] ?? "?" })
      #expect(Int(plain) == wantExponent, "\(ours) vs \(theirs)")
    }
  }

  static let unsuperscript: [Character: Character] = [
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-",
  ]

  /// No ticks give no labels; ticks whose range overflows still get one label each.
  @Test func degenerateTickListsAreLabelled() {
    #expect(TickLabels.linear([], view: AxisLimits(lower: 0, upper: 1)).labels.isEmpty)
    let huge = TickLabels.linear([-1e308, 1e308], view: AxisLimits(lower: -1e308, upper: 1e308))
    #expect(huge.labels.count == 2 && huge.multiplier == "1e308", "\(huge)")
  }

  @Test func theColorCycleIsMatplotlibs() throws {
    let fixture = try PictureAxesFixture.load()
    #expect(ColorCycle.tab10 == fixture.colors)
    #expect(ColorCycle.color(at: 0) == fixture.colors[0])
    #expect(ColorCycle.color(at: 13) == fixture.colors[3])
  }
}
