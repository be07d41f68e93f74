import Foundation

/// The seam for the interactive REPL (a later issue builds it on GNU readline).
enum Interactive {
  /// Starts an interactive session on a terminal; returns the exit status.
  static func start(loadPrelude: Bool) -> Int32 {
    let message = """
      losslang: the interactive REPL is not available yet.
      usage: losslang FILE.loss [ARGS...] | losslang -e 'EXPR' | command | losslang

      """
    FileHandle.standardError.write(Data(message.utf8))
    return 64
  }
}
