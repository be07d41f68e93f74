/// Loops run each step in the same time and memory: every few iterations the values a loop
/// carries are computed and the history behind them that no binding reaches is released
/// (`HistoryPruning`), with or without `detach`.
extension Evaluator {
  /// Loop iterations between two settlements: a loop carries at most this many steps of
  /// uncomputed graph, and a short loop (a prelude loss looping over axes) none.
  static let settleInterval = 16
  /// The most nodes one settlement walks; a longer history is kept (it reaches a held value).
  static let settleBudget = 8_192

  /// Computes the tensors bound in `env` (directly or as items of a bound list or dict) and releases
  /// the history below them that reaches nothing the program holds; when linting, tells
  /// whether the history the loop at `loop` keeps grows (``lintLoop(_:carried:in:)``).
  ///
  /// Skipped while tracing a compiled loss, whose inputs have no values.
  func settle(_ env: Environment, loop: SourceSpan) throws {
    guard !tracingPlaceholders else { return }
    var carried: [Node] = []
    for value in env.boundValues {
      switch value {
      case .tensor(let n): carried.append(n)
      case .list(let items):
        for case .tensor(let n) in items { carried.append(n) }
      case .dict(let d):
        for case .tensor(let n) in d.values { carried.append(n) }
      default: break
      }
    }
    let pending = carried.filter { $0.value == nil }
    if !pending.isEmpty { _ = try materialize(pending) }
    HistoryPruning.prune(below: carried, budget: Self.settleBudget) { mark in
      forEachHeldNode(from: [env] + callScopes, mark)
    }
    if linter != nil { lintLoop(loop, carried: carried, in: env) }
  }

  /// Calls `body` with every tensor (not plain number) a binding reaches: in `scopes` and their parents, in the
  /// lists and dicts they hold (at any depth), in the scopes of the functions they hold, and the items of
  /// tensor literals (`grad(y, [a, b])` differentiates against those).
  func forEachHeldNode(from scopes: [Environment], _ body: (Node) -> Void) {
    var scopes = scopes
    var seen = Set<ObjectIdentifier>()
    while let scope = scopes.popLast() {
      guard seen.insert(ObjectIdentifier(scope)).inserted else { continue }
      if let parent = scope.parent { scopes.append(parent) }
      var values = scope.boundValues
      while let value = values.popLast() {
        switch value {
        case .tensor(let n):
          // A plain number is a hyperparameter, not a target whose history a loop keeps
          // (`w = w - lr * g` stays flat); a tensor is (`lr = float64(0.1)`).
          if !n.isWeak { body(n) }
          n.literalItems?.forEach { if !$0.isWeak { body($0) } }
        case .list(let items): values += items
        case .dict(let d): values += d.values
        case .function(let f):
          if case .user(_, let closure) = f.body { scopes.append(closure) }
        case .optimizer(let o):
          if case .schedule(let f) = o.learningRate, case .user(_, let closure) = f.body { scopes.append(closure) }
        case .string, .bool, .none: break
        }
      }
    }
  }
}
