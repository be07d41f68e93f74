import Foundation
import LossLang

/// Runs LossLang source for the command line and turns errors into messages and exit codes.
struct ScriptRunner {
  let setup: SessionSetup

  /// Runs a script file with its arguments; returns the exit status.
  func runFile(_ path: String, arguments: [String]) -> Int32 {
    guard let data = FileManager.default.contents(atPath: path) else {
      return report(LossLangError(.io, "cannot open '\(path)': no such file or it is unreadable"))
    }
    return execute(String(decoding: data, as: UTF8.self), path: path, arguments: arguments, printResult: false)
  }

  /// Evaluates one expression and prints its value (`losslang -e`).
  func evaluate(_ expression: String) -> Int32 {
    execute(expression, path: "-e", arguments: [], printResult: true)
  }

  /// Runs standard input as a script.
  func runStandardInput() -> Int32 {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    return execute(String(decoding: data, as: UTF8.self), path: "<stdin>", arguments: [], printResult: false)
  }

  private func execute(_ source: String, path: String, arguments: [String], printResult: Bool) -> Int32 {
    do {
      let interpreter = try setup.makeInterpreter()
      interpreter.output = { text in FileHandle.standardOutput.write(Data(text.utf8)) }
      interpreter.setArguments(arguments)
      let value = try interpreter.run(source, path: path)
      if printResult, case .none = value {} else if printResult {
        FileHandle.standardOutput.write(Data((value.description + "\n").utf8))
      }
      return 0
    } catch let error as LossLangError {
      return report(error)
    } catch {
      return report(LossLangError(.runtime, "\(error)"))
    }
  }

  /// Writes an error to standard error; returns its exit status.
  private func report(_ error: LossLangError) -> Int32 {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    return error.exitCode
  }
}
