import Testing

@testable import LossLang

/// A released interpreter empties its scopes, breaking the cycles between each scope and the
/// functions defined in it (a function holds its defining scope), which otherwise leaked the
/// whole prelude with every interpreter. Found while running the suite under AddressSanitizer.
@Suite struct InterpreterReleaseTests {
  @Test func releasedInterpreterEmptiesPreludeAndGlobals() throws {
    let prelude: Environment
    let globals: Environment
    do {
      let interpreter = try Interpreter()
      try interpreter.run("def twice(x) = 2 * x\ny = twice(mse_loss([1.0], [2.0]))")
      prelude = interpreter.preludeScope
      globals = interpreter.evaluator.globals
      #expect(prelude.names.contains("mse_loss"))
      #expect(globals.names.contains("twice"))
    }
    #expect(prelude.names.isEmpty)
    #expect(globals.names.isEmpty)
  }
}
