/// Figure builtins with matplotlib's names: `figure title xlabel ylabel xlim ylim yscale
/// grid subplot`. They change the interpreter's current figure (kept between evaluations)
/// and return `none`; a refused call leaves the figure as it was. The drawing calls are in
/// Builtins+Plot, `show` and `savefig` in Builtins+Show.
extension Builtins {
  /// The smallest and largest `figure(width=)`, in text columns.
  static let figureWidths = 20...1000
  /// The smallest and largest `figure(height=)`, in text rows.
  static let figureHeights = 5...500

  static func registerPictures(in r: Registry) {
    registerPlot(in: r)
    registerShow(in: r)
    r.builtin("figure", ["width=none", "height=none"], category: "pictures",
              doc: "figure(width=none, height=none): starts a new, empty current figure, dropping the one drawn so far. width and height are the size show() draws it at, in text columns and rows (default: the terminal's width, 80 when not a terminal, and a height to suit).") { a in
      let width = try a.optionalInt(0), height = try a.optionalInt(1)
      if let width, !figureWidths.contains(width) {
        throw a.error(0, "must be \(figureWidths.lowerBound) to \(figureWidths.upperBound) columns, got \(width)")
      }
      if let height, !figureHeights.contains(height) {
        throw a.error(1, "must be \(figureHeights.lowerBound) to \(figureHeights.upperBound) rows, got \(height)")
      }
      a.evaluator.currentFigure.replace(with: Figure(width: width, height: height))
      return .none
    }
    registerText(in: r)
    registerAxisSettings(in: r)
    r.builtin("subplot", ["rows", "cols", "index"], category: "pictures",
              doc: "subplot(rows, cols, index): makes panel index (1-based, row by row) of a rows×cols grid current, as plt.subplot; later drawing calls go to it. Changing the grid's shape after drawing is an error: call figure() first.") { a in
      let rows = try a.int(0), columns = try a.int(1), index = try a.int(2)
      try a.evaluator.currentFigure.update("subplot") { (figure: inout Figure) throws(LossLangError) in
        try figure.subplot(rows: rows, columns: columns, index: index)
      }
      return .none
    }
  }

  /// `title xlabel ylabel`: the text of the current panel.
  private static func registerText(in r: Registry) {
    let texts: [(String, String, WritableKeyPath<Axes, String?>)] = [
      ("title", "the title above the current panel", \.title),
      ("xlabel", "the label under the current panel's x axis", \.xlabel),
      ("ylabel", "the label beside the current panel's y axis", \.ylabel),
    ]
    for (name, what, field) in texts {
      r.builtin(name, ["text"], category: "pictures", doc: "\(name)(text): sets \(what).") { a in
        let text = try a.string(0)
        try a.updateAxes { $0[keyPath: field] = text }
        return .none
      }
    }
  }

  /// `xlim ylim yscale grid`: the current panel's axes.
  private static func registerAxisSettings(in r: Registry) {
    r.builtin("xlim", ["lo", "hi"], category: "pictures",
              doc: "xlim(lo, hi): fixes the current panel's x axis to lo … hi (hi < lo reverses it) instead of fitting the data.") { a in
      let lo = try a.double(0), hi = try a.double(1)
      try a.updateAxes { (axes: inout Axes) throws(LossLangError) in try axes.setXLimits(lo, hi) }
      return .none
    }
    r.builtin("ylim", ["lo", "hi"], category: "pictures",
              doc: "ylim(lo, hi): fixes the current panel's y axis to lo … hi (hi < lo reverses it); on a log axis both must be positive.") { a in
      let lo = try a.double(0), hi = try a.double(1)
      try a.updateAxes { (axes: inout Axes) throws(LossLangError) in try axes.setYLimits(lo, hi) }
      return .none
    }
    r.builtin("yscale", ["scale"], category: "pictures",
              doc: "yscale(scale): \"linear\" or \"log\" (base 10) for the current panel's y axis; a log axis refuses zero or negative y values, drawn before or after.") { a in
      let name = try a.string(0)
      guard let scale = AxisScale(rawValue: name) else { throw a.error(0, "must be \"linear\" or \"log\", got \"\(name)\"") }
      try a.updateAxes { (axes: inout Axes) throws(LossLangError) in try axes.setYScale(scale) }
      return .none
    }
    r.builtin("grid", ["on=true"], category: "pictures",
              doc: "grid(on=true): draws grid lines at the current panel's ticks, or not (on=false).") { a in
      let on = try a.bool(0)
      try a.updateAxes { $0.grid = on }
      return .none
    }
  }
}
