/// The figure the drawing builtins of one interpreter session go to, as pyplot's current
/// figure, and whether it changed since it was last shown.
///
/// Every change works on a copy that replaces the figure only when the change succeeds, so a
/// refused call leaves the figure exactly as it was.
struct CurrentFigure {
  /// The figure drawn so far.
  private(set) var figure = Figure()
  /// Whether a builtin changed the figure since it was last shown (``close()``) or the flag
  /// was last taken (``takeChange()``): the REPL shows the figure after such a line.
  private(set) var changed = false

  /// Applies `change` to the figure, keeping the result only when `change` succeeds; an
  /// error's message gets the builtin's `name` in front (`plot: x and y have different …`).
  @discardableResult
  mutating func update<T>(_ name: String, _ change: (inout Figure) throws(LossLangError) -> T) throws -> T {
    var copy = figure
    let result: T
    do { result = try change(&copy) } catch { throw LossLangError(error.kind, "\(name): \(error.message)") }
    figure = copy
    changed = true
    return result
  }

  /// Applies `change` to the current panel (``Figure/updateCurrent(_:)``), as ``update(_:_:)``.
  @discardableResult
  mutating func updateAxes<T>(_ name: String, _ change: (inout Axes) throws(LossLangError) -> T) throws -> T {
    try update(name) { (figure: inout Figure) throws(LossLangError) in try figure.updateCurrent(change) }
  }

  /// Starts a new figure in place of the current one (`figure()`).
  mutating func replace(with figure: Figure) {
    self.figure = figure
    changed = true
  }

  /// The figure, for showing it once: a fresh figure takes its place (as `plt.show()` closes
  /// the figures it showed) and the change flag is cleared.
  mutating func close() -> Figure {
    defer { (figure, changed) = (Figure(), false) }
    return figure
  }

  /// Whether the figure changed since the last call, clearing the flag.
  mutating func takeChange() -> Bool {
    defer { changed = false }
    return changed
  }
}
