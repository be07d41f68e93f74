import Testing

@testable import LossLang

/// Refused drawing calls: each is a runtime error with a message naming the builtin, located
/// at the call, and leaves the current figure exactly as it was.
@Suite struct PictureBuiltinErrorsTests {
  /// A figure drawn first (`setup`), a call that must be refused and the exact message.
  struct Case: Sendable, CustomStringConvertible {
    let setup: String
    let call: String
    let message: String
    var description: String { call }
  }

  static let drawn = "plot([1, 2, 3], label=\"a\")\ntitle(\"t\")"

  static let cases: [Case] = [
    Case(setup: drawn, call: "plot([1, 2, 3], [1, 2, 3, 4])", message: "plot: x and y have different lengths (3 and 4)"),
    Case(setup: drawn, call: "scatter([1, 2], [1])", message: "scatter: x and y have different lengths (2 and 1)"),
    Case(setup: drawn, call: "plot([])", message: "plot: nothing to draw: the series is empty"),
    Case(setup: drawn, call: "scatter([nan, inf], [1, 2])", message: "scatter: nothing to draw: all 2 points are NaN or infinite"),
    Case(setup: "yscale(\"log\")", call: "plot([1, 0, -1])",
         message: "plot: a log scale cannot show 2 of the y values: they are zero or negative"),
    Case(setup: "plot([1, -1])", call: "yscale(\"log\")",
         message: "yscale: a log scale cannot show 1 of the y values: they are zero or negative"),
    Case(setup: "bar([\"a\", \"b\"], [-1, 3])", call: "yscale(\"log\")",
         message: "yscale: a log scale cannot show 1 of the bars: their heights are negative"),
    Case(setup: "yscale(\"log\")", call: "bar([\"a\", \"b\"], [3, -1])",
         message: "bar: a log scale cannot show 1 of the bars: their heights are negative"),
    Case(setup: "yscale(\"log\")\nplot([1, 2])", call: "axhline(0)",
         message: "axhline: a log scale cannot show 1 of the y values: they are zero or negative"),
    Case(setup: drawn, call: "subplot(2, 2, 5)", message: "subplot: subplot index 5 is out of range 1…4 for a 2×2 grid"),
    Case(setup: drawn, call: "subplot(2, 1, 1)",
         message: "subplot: subplot grid 2×1 differs from this figure's 1×1; call figure() to start a new one"),
    Case(setup: drawn, call: "plot([1, 2], style=\"-.\")",
         message: "plot: unknown line style \"-.\"; expected one of \"-\", \"--\", \":\", \"o\""),
    Case(setup: drawn, call: "axvline(1, style=\"dashed\")",
         message: "axvline: unknown line style \"dashed\"; expected one of \"-\", \"--\", \":\", \"o\""),
    Case(setup: drawn, call: "plot([1, 2], color=\"blurple\")",
         message: "plot: unknown colour \"blurple\"; use \"#rrggbb\", \"C0\"…\"C9\", \"tab:blue\" or a name such as \"red\""),
    Case(setup: drawn, call: "bar([\"a\"], [1], color=\"#12345\")",
         message: "bar: unknown colour \"#12345\"; use \"#rrggbb\", \"C0\"…\"C9\", \"tab:blue\" or a name such as \"red\""),
    Case(setup: drawn, call: "hist([1, 2], bins=0)", message: "hist: argument 'bins' must be 1 to 100000, got 0"),
    Case(setup: drawn, call: "hist([1, 2], bins=2.5)", message: "hist: argument 'bins' must be a whole number, got 2.5"),
    Case(setup: drawn, call: "hist([])", message: "hist: nothing to draw: x is empty"),
    Case(setup: drawn, call: "hist([nan, nan])", message: "hist: nothing to draw: all 2 values are NaN or infinite"),
    Case(setup: drawn, call: "plot(fn(r) => sum(r), -1, 1)",
         message: "plot: f must return one value per point: got shape [] for 200 points"),
    Case(setup: drawn, call: "plot(fn(r) => [r, r], -1, 1, n=5)",
         message: "plot: f must return one value per point: got shape [2, 5] for 5 points"),
    Case(setup: drawn, call: "plot(fn(r) => \"r\", -1, 1)", message: "plot: f must return a tensor, got string"),
    Case(setup: drawn, call: "plot(sigmoid, -inf, 1)", message: "plot: argument 'lo' must be a finite number, got -inf"),
    Case(setup: drawn, call: "plot(sigmoid, -1e308, 1e308)", message: "plot: the range -1e+308 … 1e+308 is too wide to sample"),
    Case(setup: drawn, call: "plot(sigmoid, 0, 1, n=1)", message: "plot: argument 'n' must be 2 to 1000000, got 1"),
    Case(setup: drawn, call: "plot(sigmoid, 0, 1, n=1e8)", message: "plot: argument 'n' must be 2 to 1000000, got 100000000"),
    Case(setup: drawn, call: "plot(sigmoid, 0)", message: "plot() with a function needs lo and hi: plot(f, lo, hi)"),
    Case(setup: drawn, call: "plot()", message: "plot() missing required argument 'y'"),
    Case(setup: drawn, call: "plot([1], [2], \"a\", \"b\", \"-\", 6)",
         message: "plot() takes at most 5 positional arguments (x, y, label, color, style) but 6 were given"),
    Case(setup: drawn, call: "plot([1], [2], \"a\", label=\"b\")", message: "plot() got multiple values for argument 'label'"),
    Case(setup: drawn, call: "plot([1, 2], n=5)", message: "plot: argument 'n' is only for plot(f, lo, hi)"),
    Case(setup: drawn, call: "plot(zeros(2, 3))",
         message: "plot: argument 'y' must be a number, a list of numbers or a 1-D tensor, got a tensor of shape [2, 3]"),
    Case(setup: drawn, call: "plot([1, 2], [\"a\", \"b\"])",
         message: "plot: argument 'y' must be a number, a list of numbers or a 1-D tensor, got a list holding a string"),
    Case(setup: drawn, call: "scatter(\"x\", [1])",
         message: "scatter: argument 'x' must be a number, a list of numbers or a 1-D tensor, got string"),
    Case(setup: drawn, call: "plot([1, 2], label=3)", message: "plot: argument 'label' must be a string, got number"),
    Case(setup: drawn, call: "bar([\"a\"], [1, 2])", message: "bar: labels and heights have different lengths (1 and 2)"),
    Case(setup: drawn, call: "bar([1, 2], [1, 2])", message: "bar: argument 'labels' must be a list of strings, got tensor"),
    Case(setup: drawn, call: "bar([\"a\", 2], [1, 2])",
         message: "bar: argument 'labels' must be a list of strings, got a list holding a number"),
    Case(setup: drawn, call: "axvline(nan)", message: "axvline: the line's position must be a finite number"),
    Case(setup: drawn, call: "xlim(1, nan)", message: "xlim: cannot set the limits 1.0 … nan: limits must be finite numbers"),
    Case(setup: "yscale(\"log\")", call: "ylim(0, 10)",
         message: "ylim: cannot set the limits 0.0 … 10.0: a log scale needs positive limits"),
    Case(setup: drawn, call: "yscale(\"symlog\")",
         message: "yscale: argument 'scale' must be \"linear\" or \"log\", got \"symlog\""),
    Case(setup: drawn, call: "title(3)", message: "title: argument 'text' must be a string, got number"),
    Case(setup: drawn, call: "figure(width=5)", message: "figure: argument 'width' must be 20 to 1000 columns, got 5"),
    Case(setup: drawn, call: "figure(height=1000)", message: "figure: argument 'height' must be 5 to 500 rows, got 1000"),
  ]

  /// The call fails with exactly the message, at the call (line 2 of the source, column 1),
  /// and the figure afterwards equals the figure before.
  @Test(arguments: cases)
  func refusedCallLeavesTheFigureUnchanged(_ c: Case) throws {
    let interpreter = try Interpreter()
    try interpreter.run(c.setup)
    let before = interpreter.evaluator.currentFigure.figure
    let source = "x = 1\n\(c.call)"
    let error = try #require(throws: LossLangError.self) { try interpreter.run(source) }
    #expect(error.kind == .runtime)
    #expect(error.message == c.message)
    let span = try #require(error.diagnostics.first?.span)
    #expect(span.start == 6 && span.end <= source.utf8.count, "\(error)")
    #expect(interpreter.evaluator.currentFigure.figure == before)
  }
}
