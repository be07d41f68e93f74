import Testing

@testable import LossLang

/// `TickLocator` against matplotlib's `MaxNLocator` (AutoLocator's steps) and `LogLocator`.
@Suite struct TickLocatorTests {
  /// Tick values agree to 1e-12 relative (of the largest tick) with matplotlib's, tick for
  /// tick, for every range and nbins of the fixture.
  @Test(arguments: 0..<(PictureAxesFixture.shared?.maxn.count ?? 1))
  func linearTicksMatchMaxNLocator(_ index: Int) throws {
    let fixture = try PictureAxesFixture.load()
    let c = try #require(fixture.maxn.indices.contains(index) ? fixture.maxn[index] : nil)
    let got = TickLocator.linear(c.vmin, c.vmax, nbins: c.nbins)
    let scale = c.ticks.map(abs).max() ?? 1
    let tolerance = Tolerance(rtol: 1e-12, atol: 1e-12 * scale)
    #expect(tolerance.mismatch(got, c.ticks) == nil,
            "MaxNLocator(nbins=\(c.nbins)).tick_values(\(c.vmin), \(c.vmax)): got \(got), want \(c.ticks)")
  }

  @Test func theFixtureCoversTheRangeKinds() throws {
    let cases = try PictureAxesFixture.load().maxn
    #expect(Set(cases.map(\.nbins)) == Set(3...9))
    #expect(cases.contains { $0.vmin == $0.vmax })
    #expect(cases.contains { $0.vmax < 0 })
    #expect(cases.contains { $0.vmin < 0 && $0.vmax > 0 })
    #expect(cases.contains { abs($0.vmax - $0.vmin) < 1e-8 })
    #expect(cases.contains { abs($0.vmax) > 1e15 })
  }

  @Test(arguments: 0..<(PictureAxesFixture.shared?.log.count ?? 1))
  func logTicksMatchLogLocator(_ index: Int) throws {
    let fixture = try PictureAxesFixture.load()
    let c = try #require(fixture.log.indices.contains(index) ? fixture.log[index] : nil)
    let got = TickLocator.log(c.vmin, c.vmax)
    #expect(Tolerance(rtol: 1e-12).mismatch(got, c.ticks) == nil,
            "LogLocator().tick_values(\(c.vmin), \(c.vmax)): got \(got), want \(c.ticks)")
  }

  @Test(arguments: [(0.0, 10.0), (-1.0, 5.0), (3.0, 0.0), (.nan, 1.0), (1.0, .infinity)])
  func logTicksNeedPositiveFiniteEnds(_ ends: (Double, Double)) {
    #expect(TickLocator.log(ends.0, ends.1).isEmpty)
  }

  /// Python's `divmod` on floats: a floored quotient and a remainder with the divisor's sign.
  @Test(arguments: [
    (7.0, 2.0, 3.0, 1.0), (-7.0, 2.0, -4.0, 1.0), (7.0, -2.0, -4.0, -1.0), (-0.5, 0.25, -2.0, 0.0),
  ])
  func divmodAgreesWithPython(_ c: (Double, Double, Double, Double)) {
    let (q, r) = TickLocator.pythonDivmod(c.0, c.1)
    #expect(q == c.2 && r == c.3, "divmod(\(c.0), \(c.1)) = (\(q), \(r)), Python gives (\(c.2), \(c.3))")
  }

  /// Extreme ranges and bin counts give a bounded list of finite ticks (or none), and their
  /// labels are computed without trapping.
  @Test(arguments: [
    (-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude, 9), (-1e308, 1e308, 5),
    (0, Double.leastNonzeroMagnitude, 9), (1e300, 1e300, 3), (.nan, 1, 4), (-.infinity, 0, 4),
    (0, 1, Int.max), (0, 1, Int.min), (5e-324, 1e-323, 9),
  ])
  func extremeRangesStayBounded(_ c: (Double, Double, Int)) {
    let ticks = TickLocator.linear(c.0, c.1, nbins: c.2)
    #expect(ticks.count <= 102 * TickLocator.maxBins)
    #expect(ticks.allSatisfy { $0.isFinite }, "\(ticks.prefix(5))")
    let low = c.0.isFinite ? c.0 : 0, high = c.1.isFinite ? c.1 : 1
    #expect(TickLabels.linear(ticks, view: AxisLimits(lower: low, upper: high)).labels.count == ticks.count)
  }
}
