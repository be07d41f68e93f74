import Testing

@testable import LossLang

/// Tokenizes `text` and returns the kinds, without the final end-of-file token.
private func kinds(_ text: String) -> [TokenKind] {
  Array(Lexer.tokenize(SourceFile(path: "t.loss", text: text)).map(\.kind).dropLast())
}

/// Tokenizes `text` and returns the tokens, without the final end-of-file token.
private func tokens(_ text: String) -> [Token] {
  Array(Lexer.tokenize(SourceFile(path: "t.loss", text: text)).dropLast())
}

/// Tests for the lexer: tokens, literals, newline rules, comments and errors.
@Suite struct LexerTests {
  @Test func operatorsAndPunctuation() {
    let text = "+ - * / @ % ^ ! != == = < <= > >= && || => . ..< ... ( ) [ ] { } , ; :"
    #expect(
      kinds(text) == [
        .plus, .minus, .star, .slash, .at, .percent, .caret, .bang, .bangEqual, .equalEqual, .equal,
        .less, .lessEqual, .greater, .greaterEqual, .andAnd, .orOr, .arrow, .dot, .dotDotLess,
        .dotDotDot, .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace,
        .comma, .semicolon, .colon,
      ])
  }

  @Test func keywordsAndIdentifiers() {
    #expect(
      kinds("def fn if else for in import true false none") == [
        .keywordDef, .keywordFn, .keywordIf, .keywordElse, .keywordFor, .keywordIn, .keywordImport,
        .keywordTrue, .keywordFalse, .keywordNone,
      ])
    let names = tokens("x _y Z9 define nonex")
    #expect(names.map(\.kind) == Array(repeating: .identifier, count: 5))
    #expect(names.map(\.text) == ["x", "_y", "Z9", "define", "nonex"])
  }

  @Test(arguments: [
    ("1", 1.0), ("1.5", 1.5), ("0.25", 0.25), (".5", 0.5), ("1e-3", 0.001), ("1.5E+3", 1500),
    ("1_000", 1000), ("2e10", 2e10), ("1_0.0_1", 10.01), ("007", 7), ("1.", 1),
  ])
  func numbers(text: String, value: Double) {
    let lexed = tokens(text)
    #expect(lexed.count == 1)
    #expect(lexed.first?.kind == .number)
    #expect(lexed.first?.number == value)
  }

  @Test(arguments: ["1e", "1.2.3", "3abc", "1__0", "1_", "1.5e3.5", "0x1F"])
  func invalidNumbers(text: String) {
    let lexed = tokens(text)
    #expect(lexed.count == 1)
    #expect(lexed.first?.kind == .error)
    #expect(lexed.first?.text == "invalid number literal '\(text)'")
    #expect(lexed.first?.start == 0)
    #expect(lexed.first?.end == text.utf8.count)
  }

  @Test func numbersNextToRangesAndMembers() {
    #expect(kinds("0..<10") == [.number, .dotDotLess, .number])
    #expect(kinds("1...3") == [.number, .dotDotDot, .number])
    #expect(kinds("1.5.sum") == [.number, .dot, .identifier])
    #expect(kinds("1.sum") == [.number, .dot, .identifier])
    #expect(kinds("[1., 2.]") == [.leftBracket, .number, .comma, .number, .rightBracket])
    #expect(kinds("1.2.)") == [.error, .rightParen])
    #expect(tokens("1.2.)").first?.text == "invalid number literal '1.2.'")
    #expect(kinds("x.T") == [.identifier, .dot, .identifier])
    #expect(kinds("1e-3-2") == [.number, .minus, .number])
    #expect(tokens("1e+x").map(\.lexeme) == ["1e", "+", "x"])
  }

  @Test func strings() {
    let lexed = tokens(#""a\nb\t\"q\" \\" 'it\'s' "é""#)
    #expect(lexed.map(\.kind) == [.string, .string, .string])
    #expect(lexed.map(\.text) == ["a\nb\t\"q\" \\", "it's", "é"])
  }

  @Test func unterminatedString() {
    let lexed = tokens("x = \"abc\ny")
    #expect(lexed.map(\.kind) == [.identifier, .equal, .error, .newline, .identifier])
    #expect(lexed[2].text == "unterminated string")
    #expect(lexed[2].start == 4 && lexed[2].end == 8)
    #expect(tokens("'abc\\").map(\.text) == ["unterminated string"])
  }

  @Test func formatStrings() {
    #expect(kinds(#"f"a {x} b" F'{y}' f"{d["k"]:>8}" f"it's {"q"}" fx "s""#) == [.formatString, .formatString, .formatString, .formatString, .identifier, .string])
    #expect(kinds("f = 1") == [.identifier, .equal, .number])
    // Unterminated f-strings, including ones ending in a backslash, are one error token.
    for text in ["f\"{x", "f\"\\", "f\"{\"\\", "f\"{'\\", "f\"", "f\"{(}\n1"] {
      let lexed = tokens(text)
      #expect(lexed.first?.kind == .error && lexed.first?.text == "unterminated string", "\(text)")
      #expect(lexed.allSatisfy { $0.end <= text.utf8.count }, "\(text)")
    }
  }

  @Test func invalidEscape() {
    let lexed = tokens(#""a\qb" 1"#)
    #expect(lexed.map(\.kind) == [.error, .number])
    #expect(lexed[0].text == "invalid escape sequence '\\q' in string")
    #expect(lexed[0].start == 2 && lexed[0].end == 4)
  }

  @Test func unexpectedCharacters() {
    #expect(tokens("$").map(\.text) == ["unexpected character '$'"])
    #expect(tokens("a & b").map(\.text) == ["a", "unexpected character '&' (did you mean '&&'?)", "b"])
    #expect(tokens("|").map(\.text) == ["unexpected character '|' (did you mean '||'?)"])
    #expect(tokens("a..b").map(\.text) == ["a", "unexpected '..' (did you mean '..<' or '...'?)", "b"])
    let accent = tokens("é")
    #expect(accent.map(\.text) == ["unexpected character 'é'"])
    #expect(accent.first?.end == 2)
  }

  @Test func newlinesEndStatementsOnlyOutsideGroups() {
    #expect(kinds("a\nb") == [.identifier, .newline, .identifier])
    #expect(kinds("a\n\n\n  b\n") == [.identifier, .newline, .identifier, .newline])
    #expect(kinds("\n\na") == [.identifier])
    #expect(kinds("f(a,\nb\n)") == [.identifier, .leftParen, .identifier, .comma, .identifier, .rightParen])
    #expect(kinds("[1\n2]") == [.leftBracket, .number, .number, .rightBracket])
    #expect(kinds("{\na\nb\n}") == [.leftBrace, .identifier, .newline, .identifier, .newline, .rightBrace])
    #expect(kinds("({\na\n})") == [.leftParen, .leftBrace, .identifier, .newline, .rightBrace, .rightParen])
    #expect(kinds("{(\na\n)}") == [.leftBrace, .leftParen, .identifier, .rightParen, .rightBrace])
    #expect(kinds("a;\nb") == [.identifier, .semicolon, .identifier])
  }

  @Test func trailingOperatorsContinueTheLine() {
    for op in [
      "+", "-", "*", "/", "@", "%", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "..<", "...", "=",
      "=>", ",",
    ] {
      let lexed = kinds("a \(op)\nb")
      #expect(!lexed.contains(.newline), "after \(op)")
    }
    #expect(kinds("a\n+ b") == [.identifier, .newline, .plus, .identifier])
  }

  @Test func closingBracketRestoresNewlines() {
    #expect(kinds("(a)\nb") == [.leftParen, .identifier, .rightParen, .newline, .identifier])
    #expect(
      kinds("{ f(a }\nb") == [
        .leftBrace, .identifier, .leftParen, .identifier, .rightBrace, .newline, .identifier,
      ])
    #expect(kinds(")\nb") == [.rightParen, .newline, .identifier])
  }

  @Test func commentsAreSkipped() {
    #expect(kinds("a # comment + (\nb # more") == [.identifier, .newline, .identifier])
    #expect(kinds("# only\n# comments\n") == [])
    #expect(kinds("a + # continues\nb") == [.identifier, .plus, .identifier])
  }

  @Test func docCommentsAttachToTheDefBelow() {
    let text = """
      ## Mean squared error.
      ##
      ##second line
      def mse(a, b) = a
      """
    let def = tokens(text).first { $0.kind == .keywordDef }
    #expect(def?.doc == "Mean squared error.\n\nsecond line")
  }

  @Test(arguments: [
    "## detached\n\ndef f() = 1",
    "## interrupted\n# plain\ndef f() = 1",
    "## code between\nx = 1\ndef f() = 1",
    "x = 1 ## trailing\ndef f() = 1",
    "## same line\nx = 1; def f() = 1",
  ])
  func docCommentsNeedToBeDirectlyAbove(text: String) {
    let def = tokens(text).first { $0.kind == .keywordDef }
    #expect(def?.doc == "")
  }

  @Test func onlyTheLastDocBlockCounts() {
    let def = tokens("## old\n\n## new\ndef f() = 1").first { $0.kind == .keywordDef }
    #expect(def?.doc == "new")
  }

  @Test func tokenOffsetsAreBytes() {
    let lexed = tokens("é + xy")
    #expect(lexed.map(\.start) == [0, 3, 5])
    #expect(lexed.last?.end == 7)
    #expect(lexed.last?.lexeme == "xy")
  }
}
