import ArgumentParser
import Foundation
import LossLang

/// The `losslang` command: runs a script file, one expression, standard input, or the REPL.
@main
struct LossLangCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "losslang",
    abstract: "Run LossLang loss-function scripts.",
    discussion: """
      With FILE, runs the script (its ARGS are the list of strings `args`). With -e, evaluates \
      one expression and prints it. With no FILE and standard input not a terminal, runs \
      standard input as a script; on a terminal, starts the interactive REPL (:help inside).
      """)

  @Flag(name: .customLong("no-prelude"), help: "Do not load the standard prelude of losses.")
  var noPrelude = false

  @Option(name: .customLong("plugin"), help: ArgumentHelp("Load a native plugin (a shared library) first; repeatable.", valueName: "PATH"))
  var plugins: [String] = []

  @Option(name: .customShort("e"), help: ArgumentHelp("Evaluate one expression and print its value.", valueName: "EXPR"))
  var expression: String?

  @Argument(help: "The .loss script to run.")
  var file: String?

  @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script as `args`.")
  var arguments: [String] = []

  mutating func run() throws {
    let setup = SessionSetup(loadPrelude: !noPrelude, plugins: plugins)
    let runner = ScriptRunner(setup: setup)
    let status: Int32
    if let expression {
      status = runner.evaluate(expression)
    } else if let file {
      status = runner.runFile(file, arguments: arguments)
    } else if isatty(STDIN_FILENO) == 0 {
      status = runner.runStandardInput()
    } else {
      status = Interactive.start(setup)
    }
    if status != 0 { throw ExitCode(status) }
  }
}
