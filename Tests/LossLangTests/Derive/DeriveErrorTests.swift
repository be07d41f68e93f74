import Testing

@testable import LossLang

/// `derive` refuses what it cannot write, with an error naming the argument or the piece.
@Suite struct DeriveErrorTests {
  /// The message `source` fails with.
  func message(_ source: String) throws -> String {
    let interpreter = try Interpreter()
    try interpreter.run("p = [1.0, 2.0]; t = [0.5, 0.5]")
    do {
      let value = try interpreter.run(source)
      return "no error: \(value)"
    } catch let error as LossLangError {
      return error.message
    }
  }

  @Test func theOutputMustBeAScalar() throws {
    #expect(try message("derive(p * 2, p)") == "derive: argument 'y' must be a scalar, but its shape is [2]")
  }

  @Test func theVariableMustBeANamedTensor() throws {
    #expect(try message("derive(sum(p), \"p\")") == "derive: argument 'x' must be a tensor, got string")
    #expect(try message("derive(sum(p * 2), p * 1)")
            == "derive: argument 'x' must be a tensor bound to a name: derive writes dy/dx over the names in scope")
  }

  @Test func theOutputMustDependOnTheVariable() throws {
    #expect(try message("derive(sum(t), p)") == "derive: argument 'y' does not depend on 'p'")
    // p was rebound after y was computed: y depends on the old p only.
    #expect(try message("y = sum(p^2); p = [3.0, 4.0]; derive(y, p)") == "derive: argument 'y' does not depend on 'p'")
  }

  @Test func aLargeUnnamedTensorCannotBeWritten() throws {
    #expect(try message("q = zeros(20); derive(sum(q * randn(20, seed=0)), q)")
            == "derive: the derivative uses a tensor of shape [20] that has no name here; bind it to a name first")
    // Bound to a name, the same tensor is written by its name.
    #expect(try message("q = zeros(20); r = randn(20, seed=0); derive(sum(q * r), q)") == "no error: r")
  }

  /// A pick's gradient compares the classes, counted by arange, with the picked ones, a
  /// literal of whole numbers however many rows there are.
  @Test func aPicksGradientIsWrittenAsAOneHotMask() throws {
    #expect(try message("y = zeros([2, 20]); derive(sum(y[arange(2), [3, 19]]), y)")
            == "no error: where(arange(20) == [[3], [19]], 1, 0)")
    #expect(try message("z = zeros([20, 2]); derive(sum(z[[3, 19], arange(2)] * 2), z)")
            == "no error: where(reshape(arange(20), [20, 1]) == [[3, 19]], 2, 0)")
  }

  @Test func repeatedIndicesHaveNoSpelling() throws {
    #expect(try message("derive(sum(p[[0, 0, 1]] * t[0]), p)")
            == "derive: the derivative uses 'scatter_add with repeated indices', which has no LossLang spelling")
  }

  /// Each of 1200 nested sines adds a sine, a cosine and a product to the derivative.
  @Test func aDerivativeTooLargeToPrintIsRefused() throws {
    let text = try message("s = p; for i in 0..<1200 { s = sin(s) }; derive(sum(s), p)")
    #expect(text.hasPrefix("derive: the derivative has ") && text.hasSuffix(" terms, more than the 2000 it can print"), "\(text)")
    #expect(try message("s = p; for i in 0..<100 { s = sin(s) }; d = derive(sum(s), p); 0") == "no error: 0")
  }

  /// Names in a function's scope are the function's, and binding names avoid every name in scope.
  @Test func namesComeFromTheCallersScope() throws {
    #expect(try message("def f(w) = derive(sum(w * t), w); f(p)") == "no error: t")
    #expect(try message("u = sigmoid(p); v = 1.0; w = 2.0; derive(sum(sigmoid(t * p)), p)")
            == "no error: u1 = sigmoid(t * p); u1 * (1 - u1) * t")
  }
}
