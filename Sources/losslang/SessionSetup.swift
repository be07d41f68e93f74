import Foundation
import LossLang

/// How the command line sets up every interpreter it creates: the prelude and plugins.
struct SessionSetup {
  /// Whether the prelude is loaded (`--no-prelude` turns it off).
  let loadPrelude: Bool
  /// Native plugins to load (`--plugin PATH`, repeatable).
  let plugins: [String]

  /// A new interpreter with the prelude (unless disabled) and every plugin loaded.
  func makeInterpreter() throws -> Interpreter {
    let interpreter = try Interpreter(loadPrelude: loadPrelude)
    for path in plugins { try interpreter.loadPlugin(at: URL(fileURLWithPath: path)) }
    return interpreter
  }
}
