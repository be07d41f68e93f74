import Testing

@testable import LossLang

/// NaN and infinite points: kept in the series (the renderers skip them) and counted in a
/// warning at the drawing call; finite data draws without a warning.
@Suite struct PictureWarningTests {
  /// Runs `call` on line 2 of a fresh interpreter; the warnings it gave and the series drawn.
  func run(_ call: String) throws -> ([Diagnostic], [Series]) {
    let interpreter = try Interpreter()
    let box = WarningBox()
    interpreter.onWarning = { box.items.append($0) }
    try interpreter.run("x = 1\n" + call)
    return (box.items, interpreter.evaluator.currentFigure.figure.currentAxes.series)
  }

  @Test(arguments: [
    ("plot([1, nan, 3, inf, 5, 6, 7, 8, 9, 10])", "plot: skipped 2 of 10 points that are NaN or infinite"),
    ("plot([0, nan], [1, 2])", "plot: skipped 1 of 2 points that are NaN or infinite"),
    ("scatter([1, 2, 3], [-inf, 1, 2])", "scatter: skipped 1 of 3 points that are NaN or infinite"),
    ("plot(fn(r) => log(r), -1, 1, n=5)", "plot: skipped 3 of 5 points that are NaN or infinite"),
    ("bar([\"a\", \"b\"], [nan, 1])", "bar: skipped 1 of 2 bars that are NaN or infinite"),
    ("hist([1, 2, nan, inf, -inf, 3])", "hist: skipped 3 of 6 values that are NaN or infinite"),
  ])
  func nonFinitePointsAreCountedInAWarningAtTheCall(_ call: String, _ message: String) throws {
    let (warnings, series) = try run(call)
    try #require(warnings.count == 1, "\(warnings)")
    #expect(warnings[0].severity == .warning)
    #expect(warnings[0].message == message)
    let span = try #require(warnings[0].span)
    #expect(span.line == 2 && span.column == 1)
    #expect(series.count == 1, "the finite points are drawn")
  }

  /// `log(r)` at numpy.linspace(-1, 1, 5) = -1, -0.5, 0, 0.5, 1 is NaN, NaN, -inf, log 0.5, 0:
  /// the series keeps every point where f gave it.
  @Test func aFunctionsNonFiniteValuesStayInTheSeries() throws {
    let (_, series) = try run("plot(fn(r) => log(r), -1, 1, n=5)")
    let s = try #require(series.first)
    #expect(s.x == [-1, -0.5, 0, 0.5, 1])
    #expect(s.y[0].isNaN && s.y[1].isNaN && s.y[2] == -.infinity && s.y[4] == 0)
    #expect(abs(s.y[3] - (-0.6931471805599453)) < 1e-15)
  }

  @Test func finiteDataDrawsWithoutAWarning() throws {
    let (warnings, _) = try run("plot([1, 2, 3])\nscatter([1], [2])\nhist([1, 2])\nbar([\"a\"], [1])\naxvline(0)")
    #expect(warnings.isEmpty)
  }
}
