import Foundation
import LossLang

/// How the command line sets up every interpreter it creates: options and plugins.
struct SessionSetup {
  /// Prelude, sandboxing, limits and NaN checking, from the flags.
  let options: Interpreter.Options
  /// Native plugins to load (`--plugin PATH`, repeatable).
  let plugins: [String]

  /// A new interpreter configured by the options, with every plugin loaded, whose warnings
  /// and notes go to standard error (they never change the exit status).
  func makeInterpreter() throws -> Interpreter {
    let interpreter = try Interpreter(options: options)
    interpreter.onWarning = { Console.err($0.description + "\n") }
    for path in plugins { try interpreter.loadPlugin(at: URL(fileURLWithPath: path)) }
    return interpreter
  }
}
