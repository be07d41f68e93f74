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

  @Flag(name: .customLong("sandbox"), help: "Run untrusted code: no file or plugin access; limits on (1e8 elements per tensor, 2 GiB held at once, call depth 1000, 10 s), each adjustable below.")
  var sandbox = false

  @Flag(name: .customLong("check-finite"), help: "Stop at the first operation that produces NaN or Inf, showing the expression and its inputs.")
  var checkFinite = false

  @Flag(name: .customLong("lint"), help: "Report numerical hazards seen while running (log of 0, division by 0, == between floats, infinite sqrt/pow gradients, growing loop history, mean over nothing, probabilities outside [0, 1] in a cross-entropy) as warnings, and each stable rewrite applied as a note; see docs/lint.md.")
  var lint = false
  @Flag(name: .customLong("no-rewrite"), help: "Compute textbook formulas as written: no stable rewrites (log(sigmoid(x)) stays log of sigmoid).")
  var noRewrite = false

  @Option(name: .customLong("max-elements"), help: "Limit: elements per tensor.")
  var maxElements: Int?

  @Option(name: .customLong("max-bytes"), help: "Limit: bytes of tensors and graph held at once.")
  var maxBytes: Int?

  @Option(name: .customLong("max-depth"), help: "Limit: nesting of function calls.")
  var maxDepth: Int?

  @Option(name: .customLong("max-steps"), help: "Limit: expression evaluations.")
  var maxSteps: Int?

  @Option(name: .customLong("max-seconds"), help: "Limit: seconds of evaluation.")
  var maxSeconds: Double?

  @Option(name: .customLong("plugin"), help: ArgumentHelp("Load a native plugin (a shared library) first; repeatable.", valueName: "PATH"))
  var plugins: [String] = []

  @Option(name: .customShort("e"), help: ArgumentHelp("Evaluate one expression and print its value.", valueName: "EXPR"))
  var expression: String?

  @Argument(help: "The .loss script to run.")
  var file: String?

  @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the script as `args`.")
  var arguments: [String] = []

  /// The directory `LOSSLANG_DUMP_KERNELS` names for native kernels' C source, created if
  /// missing; nil if the variable is unset or empty.
  static func kernelDumpDirectory(_ environment: [String: String]) throws -> URL? {
    guard let path = environment["LOSSLANG_DUMP_KERNELS"], !path.isEmpty else { return nil }
    let directory = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw ValidationError("LOSSLANG_DUMP_KERNELS: cannot create the directory '\(path)'")
    }
    return directory
  }

  mutating func run() throws {
    if sandbox, !plugins.isEmpty {
      throw ValidationError("--plugin cannot be used with --sandbox")
    }
    // The environment is read here only: the library takes its settings from the options.
    var options: Interpreter.Options
    do {
      options = try (sandbox ? Interpreter.Options.sandboxed : Interpreter.Options())
        .applyingEnvironment(ProcessInfo.processInfo.environment)
    } catch let error as LossLangError {
      throw ValidationError(error.message)
    }
    options.loadPrelude = !noPrelude
    options.checkFinite = checkFinite
    options.lint = lint
    options.rewrites = !noRewrite
    options.outputIsTerminal = isatty(STDOUT_FILENO) != 0
    options.outputColumns = TerminalSize.columns(environment: ProcessInfo.processInfo.environment)
    if let maxElements { options.limits.maxTensorElements = maxElements }
    if let maxBytes { options.limits.maxTotalBytes = maxBytes }
    if let maxDepth { options.limits.maxCallDepth = maxDepth }
    if let maxSteps { options.limits.maxSteps = maxSteps }
    if let maxSeconds { options.limits.maxSeconds = maxSeconds }
    options.kernelDumpDirectory = try Self.kernelDumpDirectory(ProcessInfo.processInfo.environment)
    let setup = SessionSetup(options: options, plugins: plugins)
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
