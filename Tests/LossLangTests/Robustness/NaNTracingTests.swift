import Testing

@testable import LossLang

/// `checkFinite` (`--check-finite`): the first non-finite primitive output is reported at
/// the user's expression — for gradients, at the forward expression — with its inputs.
@Suite struct NaNTracingTests {
  func failure(_ source: String) throws -> LossLangError? {
    var options = Interpreter.Options()
    options.checkFinite = true
    let interp = try Interpreter(options: options)
    do {
      try interp.eval(source)
      return nil
    } catch let e as LossLangError {
      return e
    }
  }

  @Test func forwardNaNPointsAtTheExpression() throws {
    let e = try #require(try failure("x = [1.0, 0.0, 2.0]\nw = [1.0, 2.0, 3.0]\nloss = sum(log(x) * w)\nprint(loss)"))
    #expect(e.message == "non-finite value: 'log' produced -inf at [1] from 0.0")
    let span = try #require(e.diagnostics.first?.span)
    #expect(span.line == 3 && span.column == 12)
    #expect(e.description.contains("loss = sum(log(x) * w)\n           ^~~~~~"))
  }

  @Test func gradientNaNPointsAtTheForwardExpression() throws {
    let e = try #require(try failure("x = [4.0, 0.0]\ny = sum(sqrt(x))\ng = grad(y, x)\nprint(g)"))
    #expect(e.message.hasPrefix("non-finite value: in the gradient of this expression,"), "\(e.message)")
    #expect(e.message.contains("inf at [1]"))
    #expect(e.diagnostics.first?.span?.line == 2)
  }

  @Test func zeroTimesNaNInAPreludeLossIsCaught() throws {
    let e = try #require(try failure("p = [0.5, 1.5]\nloss = mse_loss(sqrt(p - 1), zeros(2))\nloss"))
    #expect(e.message.contains("'sqrt' produced nan at [0] from -0.5"), "\(e.message)")
    #expect(e.diagnostics.first?.span?.line == 2)
  }

  @Test func finiteProgramsRunUnchanged() throws {
    #expect(try failure("x = [1.0, 2.0]\ng = grad(cross_entropy([[1.0, 2.0, 3.0]], [2]) + sum(x^2), x)") == nil)
  }

  @Test func offByDefault() throws {
    let interp = try Interpreter()
    #expect(try interp.eval("sum(log([0.0]))").number == -.infinity)
  }
}
