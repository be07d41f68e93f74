/// Drawing builtins with matplotlib's names: `plot scatter bar hist axvline axhline`. Each
/// adds one series to the current panel of the current figure and returns `none`; a refused
/// call leaves the figure as it was. Data arguments are numbers, lists of numbers or 0-/1-D
/// tensors of any dtype; NaN and infinite points are left out of the drawing with a warning
/// giving their count.
extension Builtins {
  /// The most bins `hist` takes.
  static let maxHistogramBins = 100_000

  static func registerPlot(in r: Registry) {
    r.builtin("plot", ["args...", "label=none", "color=none", "style=\"-\"", "n=200"], category: "pictures",
              doc: """
                plot(y), plot(x, y, label=none, color=none, style="-"), plot(f, lo, hi, n=200, label=none): \
                draws a line on the current panel. plot(y) puts y at x = 0, 1, 2, …; x and y are numbers, lists of \
                numbers or 1-D tensors of equal length. style: "-" solid, "--" dashed, ":" dotted, "o" markers only. \
                color: "#rrggbb", "C0"…"C9", "tab:blue" or a name such as "red"; by default the next colour of \
                matplotlib's cycle. label: the series' legend entry. plot(f, lo, hi) draws the function f of one tensor \
                over lo … hi: it calls f once with the n points of numpy.linspace(lo, hi, n) as a float64 tensor, and \
                f must return one value per point (plot(fn(r) => huber_loss(r, 0 * r, reduction="none"), -3, 3)).
                """) { a in
      let positional = try a.list(0)
      if case .function? = positional.first {
        try plotFunction(a.plotForm(positional, function: true))
      } else {
        try plotPoints(a.plotForm(positional, function: false))
      }
      return .none
    }
    r.builtin("scatter", ["x", "y", "label=none", "color=none"], category: "pictures",
              doc: "scatter(x, y, label=none, color=none): draws a marker at each point (x[i], y[i]) on the current panel; colours as plot's.") { a in
      let x = try a.points(0), y = try a.points(1)
      let label = try a.optionalString(2), color = try a.optionalString(3)
      let skipped = try a.updateAxes { (axes: inout Axes) throws(LossLangError) in
        try axes.add(.scatter, x: x, y: y, label: label, color: color, source: .patches)
      }
      a.warnSkipped(skipped, of: x.count, "points")
      return .none
    }
    registerBars(in: r)
    registerReferenceLines(in: r)
  }

  /// `plot(x, y, …)` and `plot(y, …)` from the arguments laid out by ``Arguments/plotForm(_:function:)``.
  private static func plotPoints(_ a: Arguments) throws {
    let y = try a.points(1)
    let x = a.isNone(0) ? y.indices.map(Double.init) : try a.points(0)
    let label = try a.optionalString(2), color = try a.optionalString(3), style = try a.string(4)
    let skipped = try a.updateAxes { (axes: inout Axes) throws(LossLangError) in
      try axes.add(.line(LineStyle.parse(style)), x: x, y: y, label: label, color: color, source: .lines)
    }
    a.warnSkipped(skipped, of: x.count, "points")
  }

  /// The most samples `plot(f, lo, hi, n=)` takes: far more than a figure can show, few
  /// enough that drawing them stays quick.
  static let maxSamples = 1_000_000

  /// `plot(f, lo, hi, n, label, color=, style=)`: f called once on the linspace samples.
  private static func plotFunction(_ a: Arguments) throws {
    let f = try a.function(0)
    let lo = try a.double(1), hi = try a.double(2), n = try a.int(3)
    for (i, end) in [(1, lo), (2, hi)] where !end.isFinite { throw a.error(i, "must be a finite number, got \(end)") }
    guard (hi - lo).isFinite else { throw LossLangError(.runtime, "plot: the range \(lo) … \(hi) is too wide to sample") }
    guard (2...maxSamples).contains(n) else { throw a.error(3, "must be 2 to \(maxSamples), got \(n)") }
    let label = try a.optionalString(4), color = try a.optionalString(5), style = try a.string(6)
    try a.tracer.checkSize([n], .float64)
    let xs = linspace(lo, hi, count: n)
    let result = try a.evaluator.call(f, [.tensor(a.tracer.constant(Tensor(xs, shape: [n], dtype: .float64)))])
    guard case .tensor(let node) = result else {
      throw LossLangError(.runtime, "plot: f must return a tensor, got \(result.typeName)")
    }
    guard node.count == n else {
      throw LossLangError(
        .runtime, "plot: f must return one value per point: got shape \(node.shape) for \(n) points")
    }
    let ys = try a.evaluator.materialize(node).scalars
    let skipped = try a.updateAxes { (axes: inout Axes) throws(LossLangError) in
      try axes.add(.line(LineStyle.parse(style)), x: xs, y: ys, label: label, color: color, source: .lines)
    }
    a.warnSkipped(skipped, of: n, "points")
  }

  /// `count` evenly spaced values from `lo` to `hi` inclusive, as `numpy.linspace` computes
  /// them: `i * step + lo` with `step = (hi - lo) / (count - 1)`, and `hi` exactly last.
  static func linspace(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
    let divisions = Double(count - 1), delta = hi - lo, step = delta / divisions
    // numpy divides before multiplying when the step underflows to zero.
    var xs = (0..<count).map { step == 0 ? Double($0) / divisions * delta + lo : Double($0) * step + lo }
    xs[count - 1] = hi
    return xs
  }

  /// `bar hist`: bars from 0 up to each height.
  private static func registerBars(in r: Registry) {
    r.builtin("bar", ["labels", "heights", "color=none"], category: "pictures",
              doc: "bar(labels, heights, color=none): draws one bar per label (a list of strings) on the current panel, at x = 0, 1, 2, … with width 0.8, and writes the labels under the x axis.") { a in
      guard case .list(let items) = a.values[0] else { throw a.error(0, "must be a list of strings, got \(a.values[0].typeName)") }
      let labels = try items.map { item in
        guard case .string(let s) = item else { throw a.error(0, "must be a list of strings, got a list holding a \(item.typeName)") }
        return s
      }
      let heights = try a.points(1), color = try a.optionalString(2)
      guard labels.count == heights.count else {
        throw LossLangError(.runtime, "bar: labels and heights have different lengths (\(labels.count) and \(heights.count))")
      }
      let left = labels.indices.map { Double($0) - 0.4 }
      let skipped = try a.updateAxes { (axes: inout Axes) throws(LossLangError) in
        let widths = [Double](repeating: 0.8, count: left.count)
        let skipped = try axes.add(.bars(widths: widths), x: left, y: heights, label: nil, color: color, source: .patches)
        axes.setCategories(labels)
        return skipped
      }
      a.warnSkipped(skipped, of: heights.count, "bars")
      return .none
    }
    r.builtin("hist", ["x", "bins=10", "label=none"], category: "pictures",
              doc: "hist(x, bins=10, label=none): draws the histogram of x's finite values on the current panel, as plt.hist: bins equal-width bins from the smallest value to the largest, each counting the values from its left edge up to its right edge (the last one including it).") { a in
      let values = try a.points(0), bins = try a.int(1), label = try a.optionalString(2)
      guard bins >= 1, bins <= maxHistogramBins else { throw a.error(1, "must be 1 to \(maxHistogramBins), got \(bins)") }
      guard let histogram = Histogram(values, bins: bins) else {
        let why = values.isEmpty ? "x is empty" : "all \(values.count) values are NaN or infinite"
        throw LossLangError(.runtime, "hist: nothing to draw: \(why)")
      }
      let edges = histogram.edges
      try a.updateAxes { (axes: inout Axes) throws(LossLangError) in
        let widths = zip(edges.dropFirst(), edges).map { $0 - $1 }
        try axes.add(.bars(widths: widths), x: Array(edges.dropLast()), y: histogram.counts, label: label, color: nil, source: .lines)
      }
      a.warnSkipped(values.count { !$0.isFinite }, of: values.count, "values")
      return .none
    }
  }

  /// `axvline axhline`: lines across the whole panel.
  private static func registerReferenceLines(in r: Registry) {
    for (name, vertical) in [("axvline", true), ("axhline", false)] {
      let position = vertical ? "x" : "y", across = vertical ? "a vertical line at x" : "a horizontal line at y"
      r.builtin(name, [position, "label=none", "color=none", "style=\"--\""], category: "pictures",
                doc: "\(name)(\(position), label=none, color=none, style=\"--\"): draws \(across) across the whole current panel; colour C0 unless given, styles as plot's.") { a in
        let at = try a.double(0), label = try a.optionalString(1), color = try a.optionalString(2), style = try a.string(3)
        try a.updateAxes { (axes: inout Axes) throws(LossLangError) in
          let lineStyle = try LineStyle.parse(style)
          let mark: Series.Mark = vertical ? .verticalLine(lineStyle) : .horizontalLine(lineStyle)
          try axes.add(mark, x: vertical ? [at] : [], y: vertical ? [] : [at], label: label, color: color, source: .fixed)
        }
        return .none
      }
    }
  }
}

extension Arguments {
  /// The keyword parameters of `plot` after its variadic one, in order.
  private static let plotKeywords = ["label", "color", "style", "n"]

  /// This `plot` call's arguments laid out for its form, with the parameters named as the
  /// form names them in errors: `x y label color style` (plot(y) leaves x `none`), or for a
  /// function `f lo hi n label color style`. Positional arguments past the data fill the
  /// form's next parameters; a keyword may not give one of them again.
  fileprivate func plotForm(_ positional: [RuntimeValue], function: Bool) throws -> Arguments {
    let names = function ? ["f", "lo", "hi", "n", "label", "color", "style"] : ["x", "y", "label", "color", "style"]
    guard positional.count <= 5 else {
      let listed = names.prefix(5).joined(separator: ", ")
      throw LossLangError(.runtime, "plot() takes at most 5 positional arguments (\(listed)) but \(positional.count) were given")
    }
    if function, positional.count < 3 { throw LossLangError(.runtime, "plot() with a function needs lo and hi: plot(f, lo, hi)") }
    if positional.isEmpty { throw LossLangError(.runtime, "plot() missing required argument 'y'") }
    var laidOut = [RuntimeValue?](repeating: nil, count: names.count)
    let first = !function && positional.count == 1 ? 1 : 0
    for (k, value) in positional.enumerated() { laidOut[first + k] = value }
    for (k, name) in Self.plotKeywords.enumerated() {
      guard let slot = names.firstIndex(of: name) else {
        if isDefault(k + 1) { continue }
        throw error(k + 1, "is only for plot(f, lo, hi)")
      }
      if laidOut[slot] == nil {
        laidOut[slot] = values[k + 1]
      } else if !isDefault(k + 1) {
        throw LossLangError(.runtime, "plot() got multiple values for argument '\(name)'")
      }
    }
    let parameters = names.map { ParameterSpec(name: $0, defaultValue: .required) }
    return Arguments(
      function: Function(name: self.function.name, parameters: parameters, body: self.function.body),
      values: laidOut.map { $0 ?? .none }, evaluator: evaluator)
  }
}
