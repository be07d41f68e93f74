@testable import LossLang

/// What `source` prints when run in `interp`, by default a fresh interpreter with `options`.
func printedOutput(
  _ source: String, in interp: Interpreter? = nil, options: Interpreter.Options = Interpreter.Options()
) throws -> String {
  let interp = try interp ?? Interpreter(options: options)
  var out = ""
  interp.output = { out += $0 }
  try interp.run(source)
  return out
}
