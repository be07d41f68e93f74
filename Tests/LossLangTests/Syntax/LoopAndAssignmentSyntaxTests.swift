import Testing

@testable import LossLang

/// The v2 statement forms: compound assignment, `**`, `while` with `break`/`continue`, and
/// destructuring, with the trees they parse to and the errors they report.
@Suite struct LoopAndAssignmentSyntaxTests {
  @Test func compoundAssignmentIsSugarForAnUpdate() throws {
    #expect(try sexpr("w -= lr * g") == "(= w (- w (* lr g)))")
    #expect(try sexpr("x += 1; x *= 2; x /= y; x ^= 2; x **= 3") == """
      (= x (+ x 1))
      (= x (* x 2))
      (= x (/ x y))
      (= x (^ x 2))
      (= x (^ x 3))
      """)
    // The whole right side is the operand: `x -= a - b` is `x = x - (a - b)`.
    #expect(try sexpr("x -= a - b") == "(= x (- x (- a b)))")
    #expect(try sexpr("x +=\n  1") == "(= x (+ x 1))")
  }

  @Test func compoundAssignmentSpansTheStatement() throws {
    let statements = try Parser.parse(SourceFile(path: "t", text: "total += f(x)"))
    guard case .assign(_, let update) = statements.first?.kind, case .binary(_, let target, let value) = update.kind
    else {
      Issue.record("not an assignment of an update")
      return
    }
    #expect(spanText(update.span) == "total += f(x)")
    #expect(spanText(target.span) == "total")
    #expect(spanText(value.span) == "f(x)")
  }

  @Test func doubleStarIsPower() throws {
    #expect(try sexpr("2**3**2") == "(^ 2 (^ 3 2))")
    #expect(try sexpr("-x**2") == "(- (^ x 2))")
    #expect(try sexpr("2**-1") == "(^ 2 (- 1))")
    #expect(try sexpr("a * b ** c") == "(* a (^ b c))")
    #expect(try sexpr("a ** b ^ c") == "(^ a (^ b c))")
  }

  @Test func whileLoops() throws {
    #expect(try sexpr("while x > 0 { x = x - 1 }") == "(while (> x 0) (block (= x (- x 1))))")
    #expect(try sexpr("while true { break }") == "(while true (block break))")
    #expect(
      try sexpr("for i in xs {\n  if i > 2 { continue } else if i < 0 { break }\n  print(i)\n}")
        == "(for i xs (block (if (> i 2) (block continue) (if (< i 0) (block break))) (call print i)))")
    // A jump belongs to the innermost loop, also inside a function defined in an outer one.
    #expect(try sexpr("while a { def f() { while b { break } }; continue }")
      == "(while a (block (def f () (block (while b (block break)))) continue))")
  }

  @Test func destructuring() throws {
    #expect(try sexpr("[a, b] = f(x)") == "(= [a b] (call f x))")
    #expect(try sexpr("a, b = f(x)") == "(= [a b] (call f x))")
    #expect(try sexpr("a, [b, c] = v") == "(= [a [b c]] v)")
    #expect(try sexpr("[a, [b, c],] = v") == "(= [a [b c]] v)")
    #expect(try sexpr("[a] = v") == "(= [a] v)")
    #expect(try sexpr("for [x, y] in pairs { x }") == "(for [x y] pairs (block x))")
    #expect(try sexpr("for a, [b, c] in rows {}") == "(for [a [b c]] rows (block))")
    // A parenthesized name is a plain assignment.
    #expect(try sexpr("(a) = 1") == "(= a 1)")
  }

  @Test func destructuringSpans() throws {
    let statements = try Parser.parse(SourceFile(path: "t", text: "loss, g = value_and_grad(f, w)"))
    guard case .destructure(let pattern, _) = statements.first?.kind, case .list(let items) = pattern.kind else {
      Issue.record("not a destructuring")
      return
    }
    #expect(spanText(pattern.span) == "loss, g")
    #expect(items.map { spanText($0.span) } == ["loss", "g"])
    #expect(statements.first.map { spanText($0.span) } == "loss, g = value_and_grad(f, w)")
  }

  @Test(arguments: [
    ("break", "'break' outside a loop"),
    ("if x { continue }", "'continue' outside a loop"),
    ("while a { def f() { break } }", "'break' outside a loop"),
    ("for i in xs { g = fn() => { continue } }", "'continue' outside a loop"),
    ("while a { y = if b { break } else { 1 } }", "'break' cannot be part of an expression"),
    ("while a { if b { break } else { 1 } + 1 }", "'break' cannot be part of an expression"),
    ("while a { print(if b { continue }) }", "'continue' cannot be part of an expression"),
    ("while a { if (if b { break } else { true }) { 1 } }", "'break' cannot be part of an expression"),
    ("while a { { break } }", "'break' cannot be part of an expression"),
    ("while a { x = break }", "expected expression, found 'break'"),
    ("while x y", "expected '{' after the while-loop's condition, found 'y'"),
    ("while a\n{}", "expected '{' after the while-loop's condition, found newline"),
    ("x[0] += 1", "'+=' can only update a name"),
    ("f(x) -= 1", "'-=' can only update a name"),
    ("[a, 1] = v", "cannot assign to this expression; only names and lists of names like '[a, b]' can be assigned"),
    ("[] = v", "cannot assign to this expression; only names and lists of names like '[a, b]' can be assigned"),
    ("a, 1 = v", "expected a name or '[' to assign to, found '1'"),
    ("a, b; c", "expected '=' after the names to assign, found ';'"),
    ("a, b = b, a", "several values are written as a list: a, b = [b, a]"),
    ("[x, y] = 1, 2", "several values are written as a list: a, b = [b, a]"),
    ("for a, in xs {}", "expected a name or '[' to assign to, found 'in'"),
    ("for [] in xs {}", "expected a name or '[' to assign to, found ']'"),
    ("lambda x: x + 1", "LossLang has no 'lambda x: …'; write fn(x) => …"),
    ("f = lambda: 1", "LossLang has no 'lambda x: …'; write fn(x) => …"),
  ])
  func errors(text: String, message: String) {
    #expect(syntaxMessages(text) == [message], "\(text)")
  }

  @Test func aJumpErrorPointsAtTheJump() {
    #expect(syntaxErrors("while a { y = if b { break } }").first?.hasPrefix("t.loss:1:22: error: 'break'") == true)
    #expect(syntaxErrors("x = 1\nbreak").first?.hasPrefix("t.loss:2:1: error: 'break' outside a loop") == true)
  }

  @Test func newSpellingsLexAsOneToken() {
    let kinds = Lexer.tokenize(SourceFile(path: "t", text: "a**=b**c+=d-=e*=f/=g^=h")).map(\.kind)
    #expect(kinds == [
      .identifier, .starStarEqual, .identifier, .starStar, .identifier, .plusEqual, .identifier, .minusEqual,
      .identifier, .starEqual, .identifier, .slashEqual, .identifier, .caretEqual, .identifier, .endOfFile,
    ])
    let keywords = Lexer.tokenize(SourceFile(path: "t", text: "while break continue")).map(\.kind)
    #expect(keywords == [.keywordWhile, .keywordBreak, .keywordContinue, .endOfFile])
  }
}
