import Testing

@testable import LossLang

/// Tests that malformed programs give precise diagnostics, recover, and never crash.
@Suite struct ParserErrorTests {
  @Test func messageAndCaret() {
    #expect(syntaxErrors("x = )") == ["t.loss:1:5: error: expected expression, found ')'\nx = )\n    ^"])
    #expect(
      syntaxErrors("y = 1e + 2") == ["t.loss:1:5: error: invalid number literal '1e'\ny = 1e + 2\n    ^~"])
    #expect(
      syntaxErrors("a = 1\nb = \"abc") == ["t.loss:2:5: error: unterminated string\nb = \"abc\n    ^~~~"])
  }

  @Test(arguments: [
    ("x = 1 2", "unexpected '2'"),
    ("f(1 2)", "expected ')' to close '(' opened at 1:2"),
    ("[1, 2 3]", "expected ']' to close '[' opened at 1:1"),
    ("x[1 2]", "expected ']' to close '[' opened at 1:2"),
    ("x = 1.2.3", "invalid number literal '1.2.3'"),
    ("x = 3abc", "invalid number literal '3abc'"),
    ("f(a=1, 2)", "positional argument follows keyword argument"),
    ("def f(a=1, b) = a", "parameter 'b' without a default follows a parameter with a default"),
    ("def f(a, a) = a", "duplicate parameter 'a'"),
    ("fn(x, x) => x", "duplicate parameter 'x'"),
    ("def = 3", "expected a function name after 'def', found '='"),
    ("def f = 3", "expected '(' after the function name, found '='"),
    ("def f(x) x", "expected '=' or '{' after the parameters of 'f', found 'x'"),
    ("def f(1) = 1", "expected a parameter name, found '1'"),
    ("for 1 in x {}", "expected a loop variable after 'for', found '1'"),
    ("for i of x {}", "expected 'in' after the loop variable, found 'of'"),
    ("for i in x\n{}", "expected '{' after the for-loop's iterable, found newline"),
    ("import foo", "expected a quoted file path after 'import', found 'foo'"),
    ("if a b", "expected '{' after the if condition, found 'b'"),
    ("if a { 1 } else 2", "expected '{' or 'if' after 'else', found '2'"),
    ("fn x => x", "expected '(' after 'fn', found 'x'"),
    ("fn(x) x", "expected '=>' after the lambda's parameters, found 'x'"),
    ("x.(", "expected a member name after '.', found '('"),
    ("x.1", "unexpected '.1'"),
    ("f(x) = 1", "cannot assign to this expression; only names and lists of names like '[a, b]' can be assigned"),
    ("0..<1..<2", "range operators cannot be chained; add parentheses"),
    ("x = $", "unexpected character '$'"),
    ("}", "unexpected '}'"),
    ("x[]", "expected expression, found ']'"),
    ("x = (1 +", "unexpected end of file"),
    ("else", "expected expression, found 'else'"),
    ("'a\\x'", "invalid escape sequence '\\x' in string"),
  ])
  func messages(text: String, message: String) {
    #expect(syntaxMessages(text) == [message])
  }

  @Test func positionsPointAtTheOffendingToken() {
    #expect(syntaxErrors("f(a=1, b)").first?.hasPrefix("t.loss:1:8: error: positional argument") == true)
    #expect(
      syntaxErrors("def f(a, b=1, c) = a").first?.hasPrefix("t.loss:1:15: error: parameter 'c'") == true)
    #expect(
      syntaxErrors("def f(a,\n  a) = a").first?.hasPrefix("t.loss:2:3: error: duplicate parameter 'a'")
        == true)
    #expect(syntaxErrors("é = $").first?.hasPrefix("t.loss:1:1: error: unexpected character 'é'") == true)
    #expect(
      syntaxErrors("x = \"é\" $").first?.hasPrefix("t.loss:1:9: error: unexpected character '$'") == true)
  }

  @Test func unclosedBracketIsReportedWhereTheCodeEnds() {
    #expect(
      syntaxErrors("x = 1\ny = f(a,\n  b  # comment\n\n") == [
        "t.loss:3:4: error: unexpected end of file: '(' opened at 2:6 is never closed\n  b  # comment\n   ^"
      ])
    #expect(
      syntaxMessages("def f() {\n  1\n") == ["unexpected end of file: '{' opened at 1:9 is never closed"])
    #expect(syntaxMessages("[[1, 2]") == ["unexpected end of file: '[' opened at 1:1 is never closed"])
    #expect(syntaxErrors("x = (1 +\n") == ["t.loss:1:9: error: unexpected end of file\nx = (1 +\n        ^"])
  }

  @Test func severalErrorsInOneFile() {
    let text = """
      a = (1 +
      b = 2
      c = )
      d = 3 3
      e = [1, 2
      f = 1e
      """
    // `a`'s open paren joins lines 1-3 (up to the `)` that closes it) into one statement.
    #expect(
      syntaxErrors(text).map { $0.split(separator: "\n").first.map(String.init) ?? "" } == [
        "t.loss:2:3: error: expected ')' to close '(' opened at 1:5",
        "t.loss:4:7: error: unexpected '3'",
        "t.loss:6:1: error: expected ']' to close '[' opened at 5:5",
      ])
  }

  @Test func oneErrorPerStatement() {
    #expect(syntaxMessages("x = ) ) ] $ 1e") == ["expected expression, found ')'"])
    #expect(syntaxMessages("f(a=1, 2, b c") == ["positional argument follows keyword argument"])
  }

  @Test func errorsInsideBlocksRecoverAtTheNextLine() {
    let text = """
      def f(x) {
        y = )
        z = x +* 2
        y
      }
      g = $
      ok = 1
      """
    #expect(
      syntaxErrors(text).map { $0.split(separator: "\n").first.map(String.init) ?? "" } == [
        "t.loss:2:7: error: expected expression, found ')'",
        "t.loss:3:10: error: expected expression, found '*'",
        "t.loss:6:5: error: unexpected character '$'",
      ])
    #expect(
      syntaxMessages("{ a = ) }; b = (") == ["expected expression, found ')'", "unexpected end of file"])
    #expect(
      syntaxMessages("{ a = ) }; b = (1") == [
        "expected expression, found ')'", "unexpected end of file: '(' opened at 1:16 is never closed",
      ])
  }

  @Test func strayClosersDoNotLoop() {
    #expect(
      syntaxMessages("} } x = 1 }\n}\ny = )") == [
        "unexpected '}'", "unexpected '}'", "expected expression, found ')'",
      ])
    #expect(syntaxMessages(") ]") == ["expected expression, found ')'"])
  }

  @Test(.tags(.slow), arguments: [
    "(", "[", "{", "-", "!", "fn() => ", "x^", "if a { 1 } else ", "{ def f() ", "f", "while a { if b { ",
  ])
  func deepNestingIsAnErrorNotACrash(prefix: String) {
    // Debug builds lex slowly; 100 000 of the cheapest prefix, 10 000 of the others.
    let count = prefix == "(" ? 100_000 : 10_000
    var text = String(repeating: prefix, count: count)
    if prefix == "f" { text += String(repeating: "()", count: count) }
    if prefix == "{ def f() " { text += "{" }
    let messages = syntaxMessages(text)
    #expect(messages.first == "expression nested too deeply", "\(prefix)")
    #expect(messages.count == 1)
    #expect(Parser.isIncomplete(text) == false)
  }

  @Test func longOperatorChainsAreLimitedToo() {
    let chain = "x = " + Array(repeating: "a", count: 20_000).joined(separator: " + ")
    #expect(syntaxMessages(chain) == ["expression too long: too many operators in a row; split it with intermediate variables"])
  }

  @Test func randomBytesNeverCrash() {
    var random = SeededGenerator(seed: 0x105_5_1A)
    for _ in 0..<2_000 {
      let length = Int(random.next() % 60)
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      checkNoCrash(String(decoding: bytes, as: UTF8.self))
    }
  }

  @Test func randomTokenSoupNeverCrashes() {
    let vocabulary = [
      "x", "f", "1", "2.5", "1e", ".5", "\"s\"", "'", "\"", "def", "fn", "if", "else", "for", "in",
      "import", "true", "none", "+", "-", "*", "^", "!", "==", "=", "=>", "<", "&&", "||", ".", "..<",
      "...", "..", "(", ")", "[", "]", "{", "}", ",", ";", ":", "\n", " ", "#", "##", "é", "$", "\\",
    ]
    var random = SeededGenerator(seed: 42)
    for _ in 0..<3_000 {
      let length = Int(random.next() % 40)
      let text = (0..<length).map { _ in vocabulary[Int(random.next() % UInt64(vocabulary.count))] }.joined()
      checkNoCrash(text)
    }
  }
}

/// Parses `text` and checks that it either succeeds or fails with located syntax diagnostics.
private func checkNoCrash(_ text: String) {
  _ = Parser.isIncomplete(text)
  do {
    let statements = try Parser.parse(SourceFile(path: "fuzz", text: text))
    _ = ASTPrinter.render(statements)
  } catch let error as LossLangError {
    #expect(error.kind == .syntax)
    #expect(!error.diagnostics.isEmpty)
    #expect(error.diagnostics.allSatisfy { $0.span != nil })
    _ = error.description
  } catch {
    Issue.record("unexpected error \(error) for \(text.debugDescription)")
  }
}

