import Foundation
import LossLang

/// Entry point of the interactive REPL (`losslang` with no arguments on a terminal).
enum Interactive {
  /// Starts an interactive session on a terminal; returns the exit status.
  static func start(_ setup: SessionSetup) -> Int32 {
    do {
      return try REPL(setup: setup).run()
    } catch let error as LossLangError {
      Console.err(error.description + "\n")
      return error.exitCode
    } catch {
      Console.err("error: \(error)\n")
      return 70
    }
  }
}
