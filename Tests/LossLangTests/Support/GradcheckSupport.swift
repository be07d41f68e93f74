import Testing

@testable import LossLang

/// A named float64 finite-difference check: a LossLang function and its inputs.
///
/// `inputs` are LossLang literals separated by `|`; each becomes a float64 argument.
/// An item containing `=` is passed as an option instead (`eps=1e-3`); the default
/// tolerances are `atol=1e-7, rtol=1e-6` unless an item overrides them.
typealias GradcheckCase = (name: String, function: String, inputs: String)

/// Runs LossLang's `gradcheck` for the case called `name` after `preamble`, recording an
/// issue unless it returns true.
func runGradcheck(_ name: String, in cases: [GradcheckCase], preamble: String) throws {
  let gradcheckCase = try #require(cases.first { $0.name == name }, "no gradcheck case \(name)")
  let interp = try Interpreter()
  try interp.run(preamble)
  let items = gradcheckCase.inputs.split(separator: "|").map(String.init)
  var args = items.map { $0.contains("=") ? $0 : "float64(\($0))" }
  for option in ["atol=1e-7", "rtol=1e-6"] where !items.contains(where: { $0.hasPrefix(option.prefix(5)) }) {
    args.append(option)
  }
  let result = try interp.run("gradcheck(\(gradcheckCase.function), \(args.joined(separator: ", ")))")
  guard case .bool(true) = result else {
    Issue.record("\(name): gradcheck returned \(result)")
    return
  }
}
