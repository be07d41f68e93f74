import Foundation
import Testing

@testable import LossLang

/// Every error points at a line and column of the user's source: limits thrown by loops and
/// by the executor, errors found when a result is computed, and errors raised inside the
/// prelude (nested prelude calls, builtins it calls, values it computed and a later step
/// checks) all carry the span of the innermost user expression or statement.
@Suite struct ErrorLocationTests {
  /// The error `source` (run as `user.loss`) ends with.
  static func failure(_ source: String, _ configure: (inout Interpreter.Options) -> Void = { _ in }) throws
    -> LossLangError
  {
    var options = Interpreter.Options()
    configure(&options)
    let interp = try Interpreter(options: options)
    interp.output = { _ in }
    do {
      try interp.run(source, path: "user.loss")
    } catch let e as LossLangError {
      return e
    }
    throw LossLangError(.runtime, "expected an error from: \(source)")
  }

  /// (name, source, limits, message substring, expected `line:column` (or `line`) in user.loss).
  static let cases: [(String, String, @Sendable (inout Interpreter.Options) -> Void, String, String)] = [
    ("time limit in a for loop", "t = 0\nfor i in 0..<1000000000000 { }", { $0.limits.maxSeconds = 0.5 },
     "time limit exceeded", "2:1"),
    ("time limit in a while loop", "t = 0\nwhile true { }", { $0.limits.maxSeconds = 0.5 }, "time limit exceeded", "2:1"),
    ("step limit", "x = 1\nwhile true { x }", { $0.limits.maxSteps = 1_000 }, "step limit exceeded", "2"),
    ("dimension limit", "x = 1\ny = ones([1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1])", { _ in },
     "more than 16 dimensions", "2:5"),
    ("recursion depth", "def f(x) = f(x) + 1\ny = f(1)", { $0.limits.maxCallDepth = 50 }, "recursion depth exceeded", "1:12"),
    ("non-finite value made in the prelude", "x = 1\ny = mse_loss([3e38], [-3e38])\nprint(y)", { $0.checkFinite = true },
     "non-finite value", "2:5"),
    ("error in a nested prelude call", "x = [1.0]\ny = reduce(x, \"bad\")", { _ in }, "reduction must be one of", "2:5"),
    ("error in a builtin the prelude calls", "x = 1\ny = kl_div(ones([2, 3]), ones([2, 4]))", { _ in },
     "cannot be broadcast", "2:5"),
    ("error in a prelude helper's helper", "x = 1\ny = cross_entropy(ones([2, 3]), [0, 5])", { _ in },
     "out of bounds", "2:5"),
  ]

  @Test(arguments: cases.map(\.0))
  func errorHasTheUsersLocation(_ name: String) throws {
    let (_, source, configure, message, location) = try #require(Self.cases.first { $0.0 == name })
    let error = try Self.failure(source, configure)
    #expect(error.message.contains(message), "\(name): \(error.message)")
    let span = try #require(error.diagnostics.first?.span, "\(name): no location")
    #expect(span.file.path == "user.loss", "\(name): at \(span.file.path)")
    #expect((location.contains(":") ? "\(span.line):\(span.column)" : "\(span.line)") == location, "\(name)")
  }

  @Test func aLambdaPassedToThePreludeReportsItsOwnSpan() throws {
    let source = "a = ones([2, 3])\ny = triplet_margin_with_distance_loss(a, a, a, distance_function=fn(x, y) => x @ y)"
    let error = try Self.failure(source)
    #expect(error.message.contains("not aligned"))
    let span = try #require(error.diagnostics.first?.span)
    #expect(span.file.path == "user.loss")
    #expect("\(span.line):\(span.column)" == "2:78")
  }

  @Test func anErrorComputingTheResultIsAtTheLastStatement() throws {
    // The value of the last line is computed after the statement ran, when it is exported.
    let error = try Self.failure("x = 1\nmse_loss([3e38], [-3e38])", { $0.checkFinite = true })
    #expect(error.message.contains("non-finite value"))
    let span = try #require(error.diagnostics.first?.span)
    #expect(span.file.path == "user.loss")
    #expect(span.line == 2)
  }
}
