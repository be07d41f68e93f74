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

  /// Runs `source`; Ctrl-C stops it (status 130, as a shell reports SIGINT), except that
  /// inside `fit` it ends the training early and the script goes on.
  private func execute(_ source: String, path: String, arguments: [String], printResult: Bool) -> Int32 {
    var interpreter: Interpreter?
    do {
      let session = try setup.makeInterpreter()
      interpreter = session
      session.output = { text in FileHandle.standardOutput.write(Data(text.utf8)) }
      session.setArguments(arguments)
      InterruptSignal.install()
      let value = try InterruptSignal.watching(session.interruptHandle) { try session.run(source, path: path) }
      if printResult, case .none = value {} else if printResult {
        FileHandle.standardOutput.write(Data((value.description + "\n").utf8))
      }
      return 0
    } catch let error as LossLangError where error.message == "interrupted" && interpreter?.interruptHandle.isRaised == true {
      FileHandle.standardError.write(Data("interrupted\n".utf8))
      return 130
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
