import Testing

@testable import LossLang

/// A binary operator as the precedence table in LANGUAGE.md describes it.
struct PrecedenceSpec: Sendable, CustomStringConvertible {
  let spelling: String
  /// 0 is loosest.
  let level: Int
  let rightAssociative: Bool
  var description: String { spelling }
}

/// Every binary operator, loosest first (ranges are tested separately: they do not chain).
let precedenceTable: [PrecedenceSpec] = [
  ("||", 0), ("&&", 1),
  ("==", 2), ("!=", 2), ("<", 2), ("<=", 2), (">", 2), (">=", 2),
  ("+", 3), ("-", 3),
  ("*", 4), ("/", 4), ("@", 4), ("%", 4),
  ("^", 5),
].map { PrecedenceSpec(spelling: $0.0, level: $0.1, rightAssociative: $0.0 == "^") }

/// Tests that well-formed programs give the expected trees and spans.
@Suite struct ParserTests {
  @Test(arguments: precedenceTable)
  func everyOperatorPair(first: PrecedenceSpec) throws {
    for second in precedenceTable {
      let text = "a \(first) b \(second) c"
      let groupsLeft = first.level > second.level || (first.level == second.level && !first.rightAssociative)
      let expected = groupsLeft ? "(\(second) (\(first) a b) c)" : "(\(first) a (\(second) b c))"
      #expect(try sexpr(text) == expected, "\(text)")
    }
  }

  @Test func precedenceExamples() throws {
    #expect(try sexpr("1 + 2 * 3") == "(+ 1 (* 2 3))")
    #expect(try sexpr("a - b - c") == "(- (- a b) c)")
    #expect(try sexpr("a / b / c") == "(/ (/ a b) c)")
    #expect(try sexpr("2^3^2") == "(^ 2 (^ 3 2))")
    #expect(try sexpr("a < b < c") == "(< (< a b) c)")
    #expect(try sexpr("a || b && c == d + e * f ^ g") == "(|| a (&& b (== c (+ d (* e (^ f g))))))")
    #expect(try sexpr("(1 + 2) * 3") == "(* (+ 1 2) 3)")
  }

  @Test func unaryOperators() throws {
    #expect(try sexpr("-x^2") == "(- (^ x 2))")
    #expect(try sexpr("2^-1") == "(^ 2 (- 1))")
    #expect(try sexpr("2^-x^2") == "(^ 2 (- (^ x 2)))")
    #expect(try sexpr("-x * y") == "(* (- x) y)")
    #expect(try sexpr("a * -b") == "(* a (- b))")
    #expect(try sexpr("- -x") == "(- (- x))")
    #expect(try sexpr("!a && b") == "(&& (! a) b)")
    #expect(try sexpr("!a == b") == "(== (! a) b)")
    #expect(try sexpr("-f(x)[0]") == "(- (index (call f x) 0))")
    #expect(try sexpr("a^b*c") == "(* (^ a b) c)")
    #expect(try sexpr("-a.T^2") == "(- (^ (. a T) 2))")
  }

  @Test func ranges() throws {
    #expect(try sexpr("0..<10") == "(..< 0 10)")
    #expect(try sexpr("a...b") == "(... a b)")
    #expect(try sexpr("0..<n + 1") == "(..< 0 (+ n 1))")
    #expect(try sexpr("a || b..<c || d") == "(..< (|| a b) (|| c d))")
    #expect(try sexpr("(0..<2)..<3") == "(..< (..< 0 2) 3)")
  }

  @Test func literals() throws {
    #expect(try sexpr("1.5; .5; 1e-3; 1_000") == "1.5\n0.5\n0.001\n1000")
    #expect(try sexpr(#""a\n\"b\""; 'c'"#) == #""a\n\"b\"""# + "\n" + #""c""#)
    #expect(try sexpr("true; false; none") == "true\nfalse\nnone")
  }

  @Test func lists() throws {
    #expect(try sexpr("[1, 2, 3]") == "(list 1 2 3)")
    #expect(try sexpr("[]") == "(list)")
    #expect(try sexpr("[\n  [1, 2],\n  [3, 4],\n]") == "(list (list 1 2) (list 3 4))")
    #expect(try sexpr("[a, \"s\", none]") == "(list a \"s\" none)")
  }

  @Test func calls() throws {
    #expect(try sexpr("f()") == "(call f)")
    #expect(try sexpr("f(1, gamma=2)") == "(call f 1 (kw gamma 2))")
    #expect(try sexpr("f(a == b, c=d==e)") == "(call f (== a b) (kw c (== d e)))")
    #expect(try sexpr("f(\n  x,\n  y,\n)") == "(call f x y)")
    #expect(try sexpr("f(x)(y)") == "(call (call f x) y)")
    #expect(try sexpr("x.sum(axis=1)") == "(call (. x sum) (kw axis 1))")
    #expect(try sexpr("x.T") == "(. x T)")
    #expect(try sexpr("x.T.sum()") == "(call (. (. x T) sum))")
    #expect(try sexpr("1.5.sum()") == "(call (. 1.5 sum))")
  }

  @Test func methodCallShape() throws {
    let statements = try Parser.parse(SourceFile(path: "t", text: "x.sum(1)"))
    guard case .expression(let expr) = statements.first?.kind,
      case .call(let callee, let arguments) = expr.kind,
      case .member(let base, let name) = callee.kind,
      case .name("x") = base.kind
    else {
      Issue.record("not a method call: \(try sexpr("x.sum(1)"))")
      return
    }
    #expect(name == "sum")
    #expect(arguments.count == 1)
  }

  @Test func indexing() throws {
    #expect(try sexpr("x[0]") == "(index x 0)")
    #expect(try sexpr("x[:, 1]") == "(index x (slice _ _ _) 1)")
    #expect(try sexpr("x[1:]") == "(index x (slice 1 _ _))")
    #expect(try sexpr("x[:3]") == "(index x (slice _ 3 _))")
    #expect(try sexpr("x[::2]") == "(index x (slice _ _ 2))")
    #expect(try sexpr("x[1:3:2]") == "(index x (slice 1 3 2))")
    #expect(try sexpr("x[1::-1]") == "(index x (slice 1 _ (- 1)))")
    #expect(try sexpr("x[..., -1]") == "(index x ... (- 1))")
    #expect(try sexpr("x[none]") == "(index x none)")
    #expect(try sexpr("logp[arange(n), target]") == "(index logp (call arange n) target)")
    #expect(try sexpr("x[0][1]") == "(index (index x 0) 1)")
    #expect(try sexpr("x[0,]") == "(index x 0)")
  }

  @Test func statements() throws {
    #expect(try sexpr("x = 1 + 2") == "(= x (+ 1 2))")
    #expect(try sexpr("a = 1; b = a\nc = b") == "(= a 1)\n(= b a)\n(= c b)")
    #expect(try sexpr("import \"my_losses.loss\"") == "(import \"my_losses.loss\")")
    #expect(try sexpr("for i in 0..<10 { print(i) }") == "(for i (..< 0 10) (block (call print i)))")
    #expect(try sexpr("x == 1") == "(== x 1)")
  }

  @Test func functionDefinitions() throws {
    #expect(
      try sexpr(#"def mse(input, target, reduction="mean") = reduce((input - target)^2, reduction)"#)
        == #"(def mse (input target (= reduction "mean")) (call reduce (^ (- input target) 2) reduction))"#)
    let focal = """
      def focal(p, gamma=2.0) {           # block: the last expression is the value
        w = (1 - p)^gamma
        -w * log(p)
      }
      """
    #expect(
      try sexpr(focal) == "(def focal (p (= gamma 2)) (block (= w (^ (- 1 p) gamma)) (* (- w) (call log p))))"
    )
    #expect(try sexpr("def f() = 1") == "(def f () 1)")
    #expect(try sexpr("def f(x) =\n  x^2") == "(def f (x) (^ x 2))")
    #expect(try sexpr("def f() {}") == "(def f () (block))")
  }

  @Test func docComments() throws {
    let text = "## Squares.\n## Twice.\ndef sq(x) = x^2\ndef plain() = 1"
    let statements = try Parser.parse(SourceFile(path: "t", text: text))
    let docs = statements.compactMap { statement -> String? in
      guard case .function(_, _, _, let doc) = statement.kind else { return nil }
      return doc
    }
    #expect(docs == ["Squares.\nTwice.", ""])
  }

  @Test func lambdas() throws {
    #expect(try sexpr("sq = fn(d) => d^2") == "(= sq (fn (d) (^ d 2)))")
    #expect(try sexpr("fn(a, b=1) => a + b") == "(fn (a (= b 1)) (+ a b))")
    #expect(try sexpr("fn() => fn(x) => x") == "(fn () (fn (x) x))")
    #expect(try sexpr("map(fn(x) => x, xs)") == "(call map (fn (x) x) xs)")
  }

  @Test func conditionals() throws {
    #expect(try sexpr("y = if n > 0 { a } else { b }") == "(= y (if (> n 0) (block a) (block b)))")
    #expect(try sexpr("if c { 1 }") == "(if c (block 1))")
    #expect(
      try sexpr("if a { 1 } else if b { 2 } else { 3 }") == "(if a (block 1) (if b (block 2) (block 3)))")
    #expect(try sexpr("if a {\n  1\n}\nelse {\n  2\n}") == "(if a (block 1) (block 2))")
    #expect(try sexpr("if a { 1 }\nb") == "(if a (block 1))\nb")
  }

  @Test func blocks() throws {
    #expect(try sexpr("{ a; b }") == "(block a b)")
    #expect(try sexpr("{\n\n  a = 1\n\n  a\n}") == "(block (= a 1) a)")
    #expect(try sexpr("if c {}") == "(if c (block))")
    #expect(try sexpr("f({\n  x = 1\n  x\n})") == "(call f (block (= x 1) x))")
    #expect(try sexpr("{ def g() = 1; g() }") == "(block (def g () 1) (call g))")
  }

  @Test func dicts() throws {
    #expect(try sexpr("{}") == "(dict)")
    #expect(try sexpr("{\"w\": w, \"b\": 1}") == "(dict (: \"w\" w) (: \"b\" 1))")
    #expect(try sexpr("d = {\n  \"a\": 1,\n  \"b\": [1, 2],\n}") == "(= d (dict (: \"a\" 1) (: \"b\" (list 1 2))))")
    #expect(try sexpr("{k + \"1\": f(x)[1:2]}") == "(dict (: (+ k \"1\") (index (call f x) (slice 1 2 _))))")
    #expect(try sexpr("{ x[1:2] }") == "(block (index x (slice 1 2 _)))")
    #expect(try sexpr("{ if a { 1 } else { 2 } }") == "(block (if a (block 1) (block 2)))")
  }

  @Test func formatStrings() throws {
    #expect(try sexpr("f\"a {x} b\"") == "(f \"a \" (field x \"\") \" b\")")
    #expect(try sexpr("f\"{loss:.4f}\"") == "(f (field loss \".4f\"))")
    #expect(try sexpr("f\"{{x}}\\n\"") == "(f \"{x}\\n\")")
    #expect(try sexpr("f\"{d[\"k\"]:>8} {x[1:2]}\"") == "(f (field (index d \"k\") \">8\") \" \" (field (index x (slice 1 2 _)) \"\"))")
    #expect(try sexpr("f'{ {\"a\": 1}[\"a\"] }'") == "(f (field (index (dict (: \"a\" 1)) \"a\") \"\"))")
    #expect(try sexpr("false") == "false")
    #expect(try sexpr("f = 1; f") == "(= f 1)\nf")
  }

  @Test func newlinesAndContinuations() throws {
    #expect(try sexpr("x = 1 +\n  2") == "(= x (+ 1 2))")
    #expect(try sexpr("x = (1\n  + 2)") == "(= x (+ 1 2))")
    #expect(try sexpr("x = 1\n-2") == "(= x 1)\n(- 2)")
    #expect(try sexpr("\n\n# comment only\n\n") == "")
    #expect(try sexpr(";;a;;") == "a")
  }

  @Test func spansCoverTheWholeSource() throws {
    let text = "y = f(a + b, k=2) * (c)"
    let statements = try Parser.parse(SourceFile(path: "t", text: text))
    guard let statement = statements.first, case .assign(_, let value) = statement.kind,
      case .binary(_, let call, let paren) = value.kind,
      case .call(let callee, let arguments) = call.kind
    else {
      Issue.record("unexpected tree")
      return
    }
    #expect(spanText(statement.span) == text)
    #expect(spanText(value.span) == "f(a + b, k=2) * (c)")
    #expect(spanText(call.span) == "f(a + b, k=2)")
    #expect(spanText(callee.span) == "f")
    #expect(arguments.map { spanText($0.span) } == ["a + b", "k=2"])
    #expect(spanText(paren.span) == "(c)")
  }

  @Test func spansOfStatementsAndParameters() throws {
    let text = "def f(a, b = 1 + 2) {\n  a\n}\nfor i in xs { i }\nimport \"m\""
    let statements = try Parser.parse(SourceFile(path: "t", text: text))
    #expect(
      statements.map { spanText($0.span) } == [
        "def f(a, b = 1 + 2) {\n  a\n}", "for i in xs { i }", "import \"m\"",
      ])
    guard case .function(_, let parameters, let body, _) = statements.first?.kind else {
      Issue.record("not a function")
      return
    }
    #expect(parameters.map { spanText($0.span) } == ["a", "b = 1 + 2"])
    #expect(spanText(body.span) == "{\n  a\n}")
    #expect(statements.map(\.span.line) == [1, 4, 5])
  }

  @Test func spansOfPostfixAndLambdas() throws {
    let text = "g = fn(x) => x[1:2].T"
    guard case .assign(_, let lambda) = try Parser.parse(SourceFile(path: "t", text: text)).first?.kind,
      case .lambda(_, let body) = lambda.kind,
      case .member(let indexed, _) = body.kind
    else {
      Issue.record("unexpected tree")
      return
    }
    #expect(spanText(lambda.span) == "fn(x) => x[1:2].T")
    #expect(spanText(body.span) == "x[1:2].T")
    #expect(spanText(indexed.span) == "x[1:2]")
  }

  @Test func moderateNestingIsAccepted() throws {
    let depth = 150
    let text = String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
    #expect(try sexpr(text) == "x")
    let blocks = String(repeating: "{", count: 100) + String(repeating: "}", count: 100)
    #expect(try sexpr(blocks).hasPrefix("(block (block"))
  }

  @Test func incompleteInput() {
    for text in [
      "f(1,", "x = [1, 2", "def f(x) {", "x = 1 +", "y = if a", "if a { 1 } else", "for i in xs", "def f(x)",
      "(\n", "fn(x) =>", "x = ", "while x > 0 {", "while x > 0", "x += ", "for a, b in xs {", "a, b =",
    ] {
      #expect(Parser.isIncomplete(text), "\(text)")
    }
    for text in ["", "x = 1", "f(1)", "x = )", "\"abc", "if a { 1 }", "x = 1 2", "1e", "}", "f(1 2"] {
      #expect(!Parser.isIncomplete(text), "\(text)")
    }
  }
}
