import Testing

@testable import LossLang

/// The drawing builtins through the interpreter: what each call leaves in the current figure
/// (marks, data, colours, labels), against numpy, torch and matplotlib where they decide.
@Suite struct PictureBuiltinsTests {
  /// A fresh interpreter with the prelude.
  func interpreter() throws -> Interpreter { try Interpreter() }

  /// The current figure of `interpreter`.
  func figure(_ interpreter: Interpreter) -> Figure { interpreter.evaluator.currentFigure.figure }

  /// The series of the current panel.
  func series(_ interpreter: Interpreter) -> [Series] { figure(interpreter).currentAxes.series }

  @Test func plotOfYAloneCountsXFromZero() throws {
    let i = try interpreter()
    try i.run("plot([3.0, 1.0, 2.0])")
    let s = try #require(series(i).first)
    #expect(series(i).count == 1)
    #expect(s.mark == .line(.solid))
    #expect(s.x == [0, 1, 2] && s.y == [3, 1, 2])
    #expect(s.label == nil && s.color == "#1f77b4")
  }

  @Test func plotTakesLabelColourAndStyleByKeywordOrPosition() throws {
    let i = try interpreter()
    try i.run("""
      plot([1, 2], [3, 4], label="mse", color="red", style="--")
      plot([1, 2], [5, 6], "l1", "C2", ":")
      plot([1, 2], [7, 8], style="o")
      """)
    let s = series(i)
    try #require(s.count == 3)
    #expect(s[0].mark == .line(.dashed) && s[0].label == "mse" && s[0].color == "#ff0000")
    #expect(s[1].mark == .line(.dotted) && s[1].label == "l1" && s[1].color == "#2ca02c")
    #expect(s[2].mark == .line(.markers) && s[2].label == nil)
    // The two series without a colour take the cycle's first and second colours in turn:
    // a given colour does not advance the cycle (as matplotlib).
    #expect(s[2].color == "#1f77b4")
    #expect(s[1].x == [1, 2] && s[1].y == [5, 6])
  }

  /// Data arguments: numbers, lists of numbers and 0-/1-D tensors of every dtype.
  @Test func dataOfEveryKindBecomesNumbers() throws {
    let i = try interpreter()
    try i.run("""
      plot(float64([0.1, 0.2]), tensor([true, false], dtype="bool"))
      scatter(2.5, 7)
      plot(arange(3), [1, 2, 3] > 1)
      """)
    let s = series(i)
    try #require(s.count == 3)
    #expect(s[0].x == [0.1, 0.2] && s[0].y == [1, 0])
    #expect(s[1].x == [2.5] && s[1].y == [7])
    #expect(s[2].x == [0, 1, 2] && s[2].y == [0, 1, 1])
  }

  /// `plot(f, lo, hi, n)` calls f on numpy.linspace's points (float64) and draws its values.
  @Test(arguments: 0..<(PictureBuiltinsFixture.shared?.linspace.count ?? 1))
  func plotOfAFunctionSamplesLikeNumpyLinspace(_ index: Int) throws {
    let cases = try PictureBuiltinsFixture.load().linspace
    let c = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let i = try interpreter()
    i.bind("lo", try Tensor([c.lo], shape: [], dtype: .float64))
    i.bind("hi", try Tensor([c.hi], shape: [], dtype: .float64))
    try i.run("plot(fn(r) => 2 * r, lo, hi, n=\(c.n))")
    let s = try #require(series(i).first)
    #expect(s.x == c.xs, "lo=\(c.lo) hi=\(c.hi) n=\(c.n)")
    #expect(s.y == c.xs.map { 2 * $0 })
    #expect(Builtins.linspace(c.lo, c.hi, count: c.n) == c.xs)
  }

  /// The contract's example: a loss's shape drawn straight from the prelude's function.
  @Test func plotOfALossMatchesTorch() throws {
    let cases = try PictureBuiltinsFixture.load().huber
    try #require(!cases.isEmpty)
    for c in cases {
      let i = try interpreter()
      try i.run("plot(fn(r) => huber_loss(r, 0 * r, reduction=\"none\"), \(c.lo), \(c.hi), n=\(c.n), label=\"huber\")")
      let s = try #require(series(i).first)
      #expect(s.label == "huber" && s.mark == .line(.solid))
      #expect(Tolerance(rtol: 1e-12, atol: 1e-15).mismatch(s.y, c.ys) == nil, "\(s.y) vs \(c.ys)")
    }
  }

  @Test func plotOfAFunctionDefaultsToTwoHundredPointsAndTakesPositionalOptions() throws {
    let i = try interpreter()
    try i.run("""
      plot(sigmoid, -5, 5)
      plot(fn(r) => r * r, 0, 1, 3, "square", color="k", style="--")
      """)
    let s = series(i)
    try #require(s.count == 2)
    #expect(s[0].x.count == 200 && s[0].x.first == -5 && s[0].x.last == 5)
    #expect(s[1].x == [0, 0.5, 1] && s[1].y == [0, 0.25, 1])
    #expect(s[1].label == "square" && s[1].color == "#000000" && s[1].mark == .line(.dashed))
  }

  @Test func scatterDrawsPointsFromThePatchCycle() throws {
    let i = try interpreter()
    try i.run("plot([1, 2])\nscatter([1, 2, 3], [4, 5, 6], label=\"data\")")
    let s = try #require(series(i).last)
    #expect(s.mark == .scatter && s.x == [1, 2, 3] && s.y == [4, 5, 6] && s.label == "data")
    #expect(s.color == "#1f77b4")
  }

  /// `bar` puts its bars where matplotlib's categorical `bar` does, with the labels as ticks.
  @Test func barMatchesMatplotlib() throws {
    let cases = try PictureBuiltinsFixture.load().bars
    try #require(!cases.isEmpty)
    for c in cases {
      let i = try interpreter()
      i.bind("h", try Tensor(c.heights, shape: [c.heights.count], dtype: .float64))
      let labels = c.labels.map { "\"\($0)\"" }.joined(separator: ", ")
      try i.run("bar([\(labels)], h, color=\"tab:orange\")")
      let s = try #require(series(i).first)
      #expect(s.mark == .bars(widths: c.widths))
      #expect(s.x == c.left && s.y == c.bar_heights && s.color == "#ff7f0e")
      let ticks = figure(i).currentAxes.xTicks(nbins: 5)
      #expect(ticks.values == c.ticks && ticks.labels == c.tick_labels)
    }
  }

  /// `hist` draws matplotlib's bars for the same values and bin count.
  @Test func histMatchesMatplotlib() throws {
    let cases = try PictureBuiltinsFixture.load().hists
    try #require(!cases.isEmpty)
    for c in cases {
      let i = try interpreter()
      i.bind("v", try Tensor(c.values, shape: [c.values.count], dtype: .float64))
      try i.run("hist(v, bins=\(c.bins), label=\"\(c.name)\")")
      let s = try #require(series(i).first)
      guard case .bars(let widths) = s.mark else {
        Issue.record("\(c.name): hist drew \(s.mark)")
        continue
      }
      let tolerance = Tolerance(rtol: 1e-12, atol: 1e-15)
      #expect(tolerance.mismatch(s.x, c.left) == nil, "\(c.name) left edges")
      #expect(tolerance.mismatch(widths, c.widths) == nil, "\(c.name) widths")
      #expect(s.y == c.heights, "\(c.name) counts")
      #expect(s.label == c.name)
    }
  }

  @Test func referenceLinesAreDashedAndFirstCycleColour() throws {
    let i = try interpreter()
    try i.run("plot([0, 1])\naxvline(0.5, label=\"warmup\")\naxhline(-1, color=\"#ABCDEF\", style=\"-\")")
    let s = series(i)
    try #require(s.count == 3)
    #expect(s[1].mark == .verticalLine(.dashed) && s[1].x == [0.5] && s[1].y.isEmpty)
    #expect(s[1].label == "warmup" && s[1].color == "#1f77b4")
    #expect(s[2].mark == .horizontalLine(.solid) && s[2].y == [-1] && s[2].x.isEmpty && s[2].color == "#abcdef")
  }

  /// The builtins take colours from the same cycles as matplotlib for the same calls
  /// (the sequence and colours of `pictures_figure.json`).
  @Test func builtinsFollowMatplotlibsColourCycles() throws {
    let cycles = try FigureModelFixture.load().cycles
    let source: [String: String] = [
      "plot": "plot([0, 1], [0, 1])", "scatter": "scatter([0, 1], [0, 1])", "bar": "bar([\"a\", \"b\"], [1, 2])",
      "hist": "hist([0, 1, 2])", "axvline": "axvline(0.5)", "axhline": "axhline(0.5)",
    ]
    let i = try interpreter()
    try i.run(try cycles.calls.map { try #require(source[$0]) }.joined(separator: "\n"))
    #expect(series(i).map(\.color) == cycles.colors)
  }

  @Test func textLimitsScaleAndGridSetTheCurrentPanel() throws {
    let i = try interpreter()
    try i.run("""
      plot([1, 10, 100])
      title("losses")
      xlabel("step")
      ylabel(f"loss ({2}x)")
      xlim(2, -1)
      ylim(1, 1000)
      yscale("log")
      grid()
      """)
    let axes = figure(i).currentAxes
    #expect(axes.title == "losses" && axes.xlabel == "step" && axes.ylabel == "loss (2x)")
    #expect(axes.xView == AxisLimits(lower: 2, upper: -1))
    #expect(axes.yView == AxisLimits(lower: 1, upper: 1000))
    #expect(axes.yscale == .log && axes.grid)
    try i.run("grid(on=false)\nyscale(\"linear\")")
    #expect(!figure(i).currentAxes.grid && figure(i).currentAxes.yscale == .linear)
  }

  @Test func subplotChoosesThePanelDrawingGoesTo() throws {
    let i = try interpreter()
    try i.run("""
      subplot(1, 2, 1)
      plot([1, 2])
      subplot(1, 2, 2)
      scatter([3], [4])
      title("right")
      """)
    let layout = figure(i).layout
    try #require(layout.count == 2)
    #expect(layout[0].row == 0 && layout[0].column == 0 && layout[0].axes.series.map(\.mark) == [.line(.solid)])
    #expect(layout[1].row == 0 && layout[1].column == 1 && layout[1].axes.series.map(\.mark) == [.scatter])
    #expect(layout[1].axes.title == "right" && layout[0].axes.title == nil)
  }

  @Test func figureStartsANewFigureOfTheGivenSize() throws {
    let i = try interpreter()
    try i.run("plot([1, 2])\nfigure(width=60, height=12)")
    let f = figure(i)
    #expect(f.isBlank && f.width == 60 && f.height == 12)
    try i.run("figure()")
    #expect(figure(i).width == nil && figure(i).height == nil)
  }

  /// The figure lives in the interpreter: it stays between evaluations and is not shared.
  @Test func eachInterpreterKeepsItsOwnFigure() throws {
    let (a, b) = (try interpreter(), try interpreter())
    try a.run("plot([1, 2, 3])")
    try a.eval("title(\"kept\")")
    try b.run("scatter([1], [1])")
    #expect(series(a).map(\.mark) == [.line(.solid)] && figure(a).currentAxes.title == "kept")
    #expect(series(b).map(\.mark) == [.scatter] && figure(b).currentAxes.title == nil)
  }

  @Test func everyBuiltinReturnsNoneAndHasHelp() throws {
    let i = try interpreter()
    let value = try i.eval("plot([1, 2])")
    #expect({ if case .none = value { true } else { false } }())
    let names = [
      "figure", "plot", "scatter", "bar", "hist", "axvline", "axhline", "title", "xlabel", "ylabel", "xlim",
      "ylim", "yscale", "grid", "subplot",
    ]
    for name in names {
      let help = try #require(i.helpText(for: name), "\(name)")
      #expect(help.hasPrefix("\(name)(") && help.contains("\n\(name)("), "\(help)")
    }
  }
}
