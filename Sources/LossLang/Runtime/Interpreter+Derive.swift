/// `:derive EXPR wrt NAME`: the REPL's spelling of `derive(EXPR, NAME)`.
extension Interpreter {
  /// dy/dx as LossLang text, where y is the value of `source` (the last one if several
  /// statements) and x the global tensor `name`; as `derive(y, x)` run in the session.
  public func derivative(of source: String, wrt name: String, path: String = "<repl>") throws -> String {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let y = try evaluator.run(Parser.parse(file), in: evaluator.globals)
      let x = try evaluator.lookup(name, in: evaluator.globals)
      // The builtin itself, even if the session defines its own `derive`.
      let derive = evaluator.registry.lookup("derive")?.function
      guard let derive, case .string(let text) = try evaluator.call(derive, [y, x]) else {
        throw LossLangError(.runtime, "derive is not available in this interpreter")
      }
      return text
    }
  }
}
