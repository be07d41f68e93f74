import Foundation
import LossLang

/// The interactive session: reads inputs (continuing while a statement is unfinished),
/// runs `:commands` and code in one persistent environment, shows values and errors.
///
/// ```
/// loss> x = [0.9, 0.2]
/// loss> mse_loss(x, [1.0, 0.0])
/// 0.025000002
/// ```
final class REPL {
  /// The prompt for a new input.
  static let prompt = "loss> "
  /// The prompt while brackets are open or a line ends in an operator.
  static let continuationPrompt = "  ... "

  /// How interpreters are made (also after `:reset`): prelude and plugins.
  let setup: SessionSetup
  /// The session's interpreter (replaced by `:reset`).
  private(set) var interpreter: Interpreter
  /// Line editing, history and completion.
  let editor: LineEditor
  /// Set by `:quit`.
  var shouldQuit = false

  /// Creates a session with a fresh interpreter and the history file, if any.
  init(setup: SessionSetup) throws {
    self.setup = setup
    let interpreter = try setup.makeInterpreter()
    interpreter.output = Console.out
    self.interpreter = interpreter
    let history = HistoryFile.defaultPath().map { HistoryFile(path: $0, limit: 10_000) }
    editor = LineEditor(completer: Completer(interpreter: interpreter), historyFile: history)
  }

  /// Runs the session until `:quit` or Ctrl-D on an empty line; the exit status (0).
  func run() -> Int32 {
    InterruptSignal.install()
    Console.out("LossLang REPL. :help lists the commands; Ctrl-D exits.\n")
    while !shouldQuit {
      guard let input = readInput() else {
        Console.out("\n")
        break
      }
      editor.remember(input)
      execute(input)
    }
    return 0
  }

  /// Reads one complete input: a `:command` line, or code whose statements are all finished.
  ///
  /// Ctrl-C abandons the input; Ctrl-D on an empty continuation line abandons it too, and
  /// on an empty first line ends the session (nil).
  private func readInput() -> String? {
    var lines: [String] = []
    while true {
      editor.pending = lines.joined(separator: "\n")
      switch editor.read(prompt: lines.isEmpty ? Self.prompt : Self.continuationPrompt) {
      case .endOfInput:
        if lines.isEmpty { return nil }
        Console.out("\n")
        lines = []
      case .interrupted:
        lines = []
      case .line(let line):
        if lines.isEmpty, line.allSatisfy(\.isWhitespace) { continue }
        lines.append(line)
        let text = lines.joined(separator: "\n")
        if lines.count == 1, line.drop(while: \.isWhitespace).hasPrefix(":") { return text }
        if !Interpreter.isIncomplete(text) { return text }
      }
    }
  }

  /// Runs a command or evaluates code; errors are reported and the session goes on. When the
  /// code drew on the figure (and did not show it), the figure is shown after it.
  func execute(_ input: String) {
    let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasPrefix(":") {
      runCommand(trimmed)
      return
    }
    interpreter.outputColumns = TerminalSize.columns(environment: ProcessInfo.processInfo.environment)
    attempt {
      let value = try whileInterruptible { try interpreter.evaluateInteractive(input) }
      if let text = ValueDisplay.text(value) { Console.out(text + "\n") }
    }
    attempt {
      if let figure = try interpreter.takeChangedFigure() { Console.out(figure) }
    }
  }

  /// Runs `body` so that Ctrl-C interrupts it.
  func whileInterruptible<T>(_ body: () throws -> T) throws -> T {
    try InterruptSignal.watching(interpreter.interruptHandle, body)
  }

  /// Runs `body`, printing any error like the CLI does (with the caret under the input).
  func attempt(_ body: () throws -> Void) {
    do {
      try body()
    } catch let error as LossLangError {
      if error.message == "interrupted", interpreter.interruptHandle.isRaised {
        Console.err("\ninterrupted\n")
      } else {
        Console.err(error.description + "\n")
      }
    } catch {
      Console.err("error: \(error)\n")
    }
  }

  /// Starts over with a fresh interpreter (`:reset`).
  func reset() throws {
    let fresh = try setup.makeInterpreter()
    fresh.output = Console.out
    interpreter = fresh
    editor.completer = Completer(interpreter: fresh)
  }
}
