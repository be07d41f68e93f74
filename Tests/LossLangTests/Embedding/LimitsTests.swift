import Testing

@testable import LossLang

/// Each limit triggers, throws `.limitExceeded`, and leaves the interpreter usable.
@Suite struct LimitsTests {
  func interpreter(_ configure: (inout Limits) -> Void) throws -> Interpreter {
    var options = Interpreter.Options()
    configure(&options.limits)
    return try Interpreter(options: options)
  }

  /// Expects `source` to exceed a limit (see `expectLimitExceeded`) and the interpreter to work after it.
  func expectLimit(
    _ interp: Interpreter, _ source: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    expectLimitExceeded(interp, source, message, sourceLocation: sourceLocation)
    #expect((try? interp.eval("mse_loss([1.0, 2.0], [1.0, 3.0])"))?.number == 0.5, "interpreter unusable after \(source)",
            sourceLocation: sourceLocation)
  }

  @Test func tensorElements() throws {
    let interp = try interpreter { $0.maxTensorElements = 1000 }
    expectLimit(interp, "zeros(1001)", "tensor size limit exceeded")
    expectLimit(interp, "ones([40, 1]) + ones([1, 40])", "tensor size limit exceeded")
  }

  @Test func totalAllocation() throws {
    let interp = try interpreter { $0.maxTotalBytes = 1 << 20 }
    // In a function, so what it held is freed with the error (the limit is on memory held).
    expectLimit(interp, "def grow() {\n  x = zeros(1000)\n  keep = [x]\n  for i in 0..<1000 { keep = keep + [detach(x + i)] }\n  keep\n}\ngrow()", "allocation limit exceeded")
  }

  @Test func callDepth() throws {
    let interp = try interpreter { $0.maxCallDepth = 50 }
    expectLimit(interp, "def f(n) = if n == 0 { 0 } else { f(n - 1) }\nf(100)", "recursion depth exceeded")
    #expect(try interp.eval("f(10)").number == 0)
  }

  @Test func steps() throws {
    let interp = try interpreter { $0.maxSteps = 10_000 }
    expectLimit(interp, "t = 0\nfor i in 0..<100000 { t = t + i }", "step limit exceeded")
  }

  /// The prelude's loading is not counted: a limit smaller than its own steps still lets
  /// the interpreter start and a loss run.
  @Test func stepsExcludeThePrelude() throws {
    let interp = try interpreter { $0.maxSteps = 5 }
    #expect(try interp.eval("1 + 1").number == 2)
    #expect(throws: LossLangError.self) { try interp.eval("t = 0\nfor i in 0..<10 { t = t + i }") }
  }

  @Test func whileLoopsCountStepsAndTime() throws {
    let counted = try interpreter { $0.maxSteps = 10_000 }
    expectLimit(counted, "while true { }", "step limit exceeded")
    expectLimit(counted, "i = 0\nwhile true { i += 1; continue }", "step limit exceeded")
    let timed = try interpreter { $0.maxSeconds = 0.2 }
    expectLimit(timed, "t = 0\nwhile true { t += 1 }", "time limit exceeded")
  }

  @Test func wallTime() throws {
    let interp = try interpreter { $0.maxSeconds = 0.2 }
    expectLimit(interp, "t = 0\nfor i in 0..<1000000000 { t = t + 1 }", "time limit exceeded")
  }
}
