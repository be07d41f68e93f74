import Testing

@testable import LossLang

/// `AxisLimits` against the limits a real matplotlib Axes autoscales to and keeps.
@Suite struct AxisLimitsTests {
  static let tolerance = Tolerance(rtol: 1e-12)

  /// Autoscaled x and y limits after `ax.plot(x, y)` (y on a log axis for the `log_` cases).
  @Test(arguments: PictureAxesFixture.shared?.limits.map(\.name) ?? ["missing fixture"])
  func autoscaledLimitsMatchMatplotlib(_ name: String) throws {
    let c = try #require(try PictureAxesFixture.load().limits.first { $0.name == name })
    let scale = try #require(AxisScale(rawValue: c.scale))
    let x = try #require(AxisLimits.autoscaled(c.x, scale: .linear))
    let y = try #require(AxisLimits.autoscaled(c.y, scale: scale))
    #expect(Self.tolerance.mismatch([x.lower, x.upper], c.xlim) == nil, "\(name): x \(x) vs \(c.xlim)")
    #expect(Self.tolerance.mismatch([y.lower, y.upper], c.ylim) == nil, "\(name): y \(y) vs \(c.ylim)")
  }

  /// `set_xlim(lo, hi)`: kept as given, reversed when lo > hi, widened when equal.
  @Test(arguments: 0..<(PictureAxesFixture.shared?.explicit.count ?? 1))
  func explicitLimitsMatchSetXlim(_ index: Int) throws {
    let cases = try PictureAxesFixture.load().explicit
    let c = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let got = try #require(AxisLimits.explicit(c.lo, c.hi, scale: .linear))
    #expect(Self.tolerance.mismatch([got.lower, got.upper], c.xlim) == nil, "xlim(\(c.lo), \(c.hi)): \(got)")
  }

  @Test func autoscalingSkipsNonFiniteValuesAndNeedsOne() throws {
    let clean = try #require(AxisLimits.autoscaled([1, 3], scale: .linear))
    #expect(AxisLimits.autoscaled([1, .nan, 3, .infinity], scale: .linear) == clean)
    #expect(AxisLimits.autoscaled([.nan, -.infinity], scale: .linear) == nil)
    #expect(AxisLimits.autoscaled([], scale: .log) == nil)
  }

  @Test func explicitLimitsRejectWhatTheAxisCannotShow() {
    #expect(AxisLimits.explicit(.nan, 1, scale: .linear) == nil)
    #expect(AxisLimits.explicit(0, .infinity, scale: .linear) == nil)
    #expect(AxisLimits.explicit(0, 10, scale: .log) == nil)
    #expect(AxisLimits.explicit(-1, 10, scale: .log) == nil)
    #expect(AxisLimits.explicit(100, 1, scale: .log) == AxisLimits(lower: 100, upper: 1))
  }
}
