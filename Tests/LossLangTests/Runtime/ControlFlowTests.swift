import Testing

@testable import LossLang

/// `while`, `break`/`continue`, destructuring, scalar short-circuits and keyword spellings,
/// as seen from Swift: what they leave bound and what they do not evaluate.
@Suite struct ControlFlowTests {

  @Test func aJumpEndsOnlyItsOwnLoopAndNeverLeaksOut() throws {
    // A function whose loop breaks, called from an outer loop: the outer loop runs on,
    // and statements after the inner loop in the function still run.
    let source = """
      def count_to(n) {
        k = 0
        while true { k += 1; if k >= n { break } }
        k * 10
      }
      for i in 1...3 { print(count_to(i)) }
      print("done")
      """
    #expect(try printedOutput(source) == "10\n20\n30\ndone\n")
  }

  @Test func continueSkipsTheRestOfTheStepOnly() throws {
    let source = """
      evens = 0
      odds = 0
      for i in 0..<10 {
        if i % 2 == 0 { evens += 1; continue }
        odds += 1
      }
      print(evens, odds)
      """
    #expect(try printedOutput(source) == "5 5\n")
  }

  @Test func whileBindsInTheEnclosingScope() throws {
    #expect(try printedOutput("i = 0\nwhile i < 3 { last = i; i += 1 }\nprint(last, i)") == "2 3\n")
  }

  @Test func destructuringBindsLeftToRightAndTheLastNameWins() throws {
    #expect(try printedOutput("a, a = [1, 2]\nprint(a)") == "2.0\n")
    #expect(try printedOutput("[x, [y, z]] = [1, [2, 3]]\nprint(x, y, z)") == "1 2.0 3.0\n")
  }

  @Test func aFailedDestructuringBindsNothing() throws {
    let interp = try Interpreter()
    #expect(throws: LossLangError.self) { try interp.eval("[p, q] = [1, 2, 3]") }
    #expect(throws: LossLangError.self) { try interp.eval("p") }
  }

  @Test func shortCircuitSkipsTheRightSideOfScalarConditions() throws {
    let interp = try Interpreter()
    #expect(try interp.eval("1 < 0 && min(zeros([0])) > 0").bool == false)
    #expect(try interp.eval("[2.0] > 1 || min(zeros([0])) > 0").bool == true)
    #expect(try interp.eval("1 > 0 && 2 > 1").bool == true)
    #expect(try interp.eval("0 || 0").bool == false)
  }

  @Test func pyTorchKeywordSpellings() throws {
    #expect(try printedOutput("print(sum(ones([2, 3]), dim=0))") == "tensor([2., 2., 2.])\n")
    #expect(try printedOutput("print(shape(mean(ones([2, 3]), dim=1, keepdim=true)))") == "[2, 1]\n")
    // A user function with `axis` takes `dim=`; one with its own `dim` keeps it.
    #expect(try printedOutput("def f(x, axis=0) = sum(x, axis=axis)\nprint(f(ones([2, 3]), dim=1))") == "tensor([3., 3.])\n")
    #expect(try printedOutput("def g(axis=1, dim=2) = axis * 10 + dim\nprint(g(dim=5))") == "15\n")
  }
}
