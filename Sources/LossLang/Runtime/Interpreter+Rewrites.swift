/// The stable rewrites an interpreter applied (see ``InterpreterOptions/rewrites``).
extension Interpreter {
  /// Every stable rewrite applied since the interpreter was created (or
  /// ``clearAppliedRewrites()``), in the order first applied, once per source location and
  /// formula: each names the expression replaced (`span`), the formula recognized
  /// (`pattern`, e.g. `log(sigmoid(x))`) and its stable form (`replacement`). Empty when
  /// rewrites are off. Prelude code the program ran is included, with its spans in the prelude.
  ///
  /// ```swift
  /// let interp = try Interpreter()
  /// try interp.run("z = [-200.0, 0.0]\nprint(log(sigmoid(z)))")
  /// interp.appliedRewrites.map(\.replacement)   // ["logsigmoid(x)"]
  /// ```
  public var appliedRewrites: [AppliedRewrite] { evaluator.tracer.rewriteLog?.applied ?? [] }

  /// Forgets the rewrites ``appliedRewrites`` lists (a host reporting per run clears between runs).
  public func clearAppliedRewrites() { evaluator.tracer.rewriteLog?.removeAll() }
}
