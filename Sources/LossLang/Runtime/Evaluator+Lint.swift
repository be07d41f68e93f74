/// `--lint`'s hooks in the evaluator (``Linter``): each is a no-op unless linting.
extension Evaluator {
  /// Starts linting: findings become warnings (``warn(_:at:severity:)``), values are
  /// inspected as they are computed, `grad` reports the `sqrt`/`pow` it differentiates, and
  /// each stable rewrite the tracer records becomes a note (``reportRewrites()``).
  func startLinting() {
    let linter = Linter { [unowned self] message, span in self.warn(message, at: span) }
    self.linter = linter
    tracer.rewriteLog?.onRecord = { [unowned linter] applied, origin in linter.rewrites.recorded(applied, origin) }
    tracer.onVJP = { [unowned linter] node, adjoint, cotangents in
      linter.gradients.differentiated(node, adjoint: adjoint, cotangents: cotangents)
    }
  }

  /// Reports the stable rewrites recorded since the last call as notes, in the order
  /// applied (at the end of each statement, and before any warning, so that notes and
  /// warnings appear in the order of the run).
  func reportRewrites() {
    guard let linter else { return }
    for note in linter.rewrites.take() { warn(note.message, at: note.span, severity: .note) }
  }

  /// What `materialize` hands the executor: the linter's inspection, or nil (fused plans).
  var inspector: Executor.Inspector? {
    linter.map { linter in { linter.inspect($0, $1, $2) } }
  }

  /// After a settlement of the loop at `span` (carrying `carried`, bound in `env`): reports
  /// a history that keeps growing, naming the bindings it reaches.
  func lintLoop(_ span: SourceSpan, carried: [Node], in env: Environment) {
    guard let linter else { return }
    let history = LoopGrowth.history(below: carried)
    guard linter.loops.settled(span, history: history) else { return }
    let names = Self.holders(of: history.operations, in: env).map { "`\($0)`" }
    let reach = names.isEmpty
      ? "a value still held (in a closure or nested list)"
      : (names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and \(names.last ?? "")") + ", still bound"
    let checks = LoopGrowth.risesReported
    let message = "this loop's history grew at each of \(checks) checks over \(checks * Self.settleInterval) iterations: it reaches \(reach)"
    linter.flag(.growingLoopHistory, message, at: span)
  }

  /// The names in `env` and its parents whose value (a tensor, or a list or dict of them)
  /// an operation of `history` takes as input: leaves first (data, a kept initial value),
  /// else every one.
  private static func holders(of history: [Node], in env: Environment) -> [String] {
    let inputs = Set(history.flatMap { $0.inputs.map(ObjectIdentifier.init) })
    var leaves: [String] = []
    var others: [String] = []
    var scope: Environment? = env
    while let s = scope {
      for name in s.names {
        let held: [Node]
        switch s.lookup(name) {
        case .tensor(let n)?: held = [n]
        case .list(let items)?: held = items.compactMap { if case .tensor(let n) = $0 { n } else { nil } }
        case .dict(let d)?: held = d.values.compactMap { if case .tensor(let n) = $0 { n } else { nil } }
        default: held = []
        }
        let reached = held.filter { !$0.isWeak && inputs.contains(ObjectIdentifier($0)) }
        guard !reached.isEmpty, !leaves.contains(name), !others.contains(name) else { continue }
        if reached.count == 1, reached[0].inputs.isEmpty { leaves.append(name) } else { others.append(name) }
      }
      scope = s.parent
    }
    return leaves.isEmpty ? others : leaves
  }

  /// Before a call of the prelude function `f` with `bound` arguments: a probability outside
  /// [0, 1] given to a cross-entropy.
  func lintCall(_ f: Function, _ bound: [RuntimeValue]) {
    guard let linter, !tracingPlaceholders, let message = ProbabilityArguments.finding(f, bound, self) else { return }
    linter.flag(.probabilityOutOfRange, message, at: tracer.span)
  }
}
