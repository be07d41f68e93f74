@testable import LossLang

/// What `source` prints when run in a fresh interpreter.
func printedOutput(_ source: String) throws -> String {
  let interp = try Interpreter()
  var out = ""
  interp.output = { out += $0 }
  try interp.run(source)
  return out
}
