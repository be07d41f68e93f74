/// Expressions: a Pratt loop over binary operators, then prefix, postfix and primary forms.
extension Parser {
  /// Binding strength of operators, loosest first.
  enum Precedence: Int, Comparable {
    case range, or, and, comparison, term, factor, unary, power

    /// The next tighter level, used for the right operand of a left-associative operator.
    var tighter: Precedence { Precedence(rawValue: rawValue + 1) ?? .power }

    /// Orders levels from loosest to tightest.
    static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// The precedence of `kind` as an infix operator and its AST operator (nil for ranges).
  static func infix(_ kind: TokenKind) -> (precedence: Precedence, op: BinaryOperator?)? {
    switch kind {
    case .dotDotLess, .dotDotDot: (.range, nil)
    case .orOr: (.or, .or)
    case .andAnd: (.and, .and)
    case .equalEqual: (.comparison, .equal)
    case .bangEqual: (.comparison, .notEqual)
    case .less: (.comparison, .less)
    case .lessEqual: (.comparison, .lessEqual)
    case .greater: (.comparison, .greater)
    case .greaterEqual: (.comparison, .greaterEqual)
    case .plus: (.term, .add)
    case .minus: (.term, .subtract)
    case .star: (.factor, .multiply)
    case .slash: (.factor, .divide)
    case .at: (.factor, .matmul)
    case .percent: (.factor, .modulo)
    case .caret, .starStar: (.power, .power)
    default: nil
    }
  }

  /// Parses a full expression, ranges included.
  mutating func parseExpression() throws -> Expr {
    try parsePrecedence(.range)
  }

  /// Raises the nesting depth by one level, failing beyond ``maxDepth``.
  ///
  /// Callers restore the depth when they return; see ``parsePrecedence(_:)``.
  mutating func deepen() throws {
    try deepen(by: Parser.chainLinksPerLevel, room: 0, "expression nested too deeply")
  }

  /// Raises the depth by one link of a left-associative chain, which costs a fraction of a
  /// level; fails while the operator's right operand would still find room for its level.
  private mutating func lengthenChain() throws {
    let message = "expression too long: too many operators in a row; split it with intermediate variables"
    try deepen(by: 1, room: Parser.chainLinksPerLevel, message)
  }

  /// Adds `links` to the depth; fails with `message` unless `room` more links still fit.
  private mutating func deepen(by links: Int, room: Int, _ message: String) throws {
    depth += links
    guard depth + room > Parser.maxDepth * Parser.chainLinksPerLevel else { return }
    nestingOverflow = true
    throw fail(message, at: peek)
  }

  /// Parses an expression whose binary operators all bind at least as tightly as `minimum`.
  ///
  /// Left-associative operators parse their right operand one level tighter;
  /// `^` parses it at the unary level, which makes it right-associative and lets
  /// it start with a minus (`2^-1`). Ranges do not chain. Every operator applied
  /// deepens the tree by one, so it counts as one chain link (``lengthenChain()``) and a
  /// long chain cannot build a tree too deep to walk. `first`, when given, is an already
  /// parsed primary expression to start from.
  mutating func parsePrecedence(_ minimum: Precedence, first: Expr? = nil) throws -> Expr {
    let entryDepth = depth
    defer { depth = entryDepth }
    try deepen()
    var left = if let first { try parsePostfix(first) } else { try parseUnary() }
    while let (precedence, binary) = Parser.infix(peek.kind), precedence >= minimum {
      let op = advance()
      // `^` nests to the right (its operand is parsed recursively): a level, not a link.
      if precedence == .power { try deepen() } else { try lengthenChain() }
      guard let binary else {
        let upper = try parsePrecedence(.or)
        let kind = Expr.Kind.range(lower: left, upper: upper, inclusive: op.kind == .dotDotDot)
        left = Expr(kind: kind, span: span(from: left.span.start))
        if Parser.infix(peek.kind)?.precedence == .range {
          throw fail("range operators cannot be chained; add parentheses", at: peek)
        }
        continue
      }
      let right = try parsePrecedence(precedence == .power ? .unary : precedence.tighter)
      left = Expr(kind: .binary(binary, left, right), span: span(from: left.span.start))
    }
    return left
  }

  /// Parses a prefix `-` or `!` applied to an operand at the unary level, or a postfix expression.
  private mutating func parseUnary() throws -> Expr {
    guard check(.minus) || check(.bang) else { return try parsePostfix(parsePrimary()) }
    let op = advance()
    let operand = try parsePrecedence(.unary)
    return Expr(kind: .unary(op.kind == .minus ? .negate : .not, operand), span: span(from: op.start))
  }

  /// Applies calls `(…)`, indexing `[…]` and members `.name` to `base`, left to right.
  private mutating func parsePostfix(_ base: Expr) throws -> Expr {
    var expr = base
    while true {
      let kind: Expr.Kind
      switch peek.kind {
      case .leftParen:
        try deepen()
        kind = .call(callee: expr, arguments: try parseArguments(opener: advance()))
      case .leftBracket:
        try deepen()
        kind = .index(expr, try parseIndexItems(opener: advance()))
      case .dot:
        try deepen()
        advance()
        kind = .member(expr, try expect(.identifier, "expected a member name after '.'").text)
      default:
        return expr
      }
      expr = Expr(kind: kind, span: span(from: expr.span.start))
    }
  }

  /// Parses call arguments after `(` through `)`: positional ones, then `name=value` ones.
  private mutating func parseArguments(opener: Token) throws -> [Argument] {
    var arguments: [Argument] = []
    while !check(.rightParen) {
      let start = peek.start
      if check(.identifier), peekNext.kind == .equal {
        let label = advance().text
        advance()
        let value = try parseExpression()
        arguments.append(Argument(label: label, value: value, span: span(from: start)))
      } else {
        let value = try parseExpression()
        if arguments.last?.label != nil {
          throw fail("positional argument follows keyword argument", span: value.span, atEnd: false)
        }
        arguments.append(Argument(label: nil, value: value, span: value.span))
      }
      if !match(.comma) { break }
    }
    try expectClosing(.rightParen, for: opener)
    return arguments
  }

  /// Parses index items after `[` through `]`, separated by commas.
  private mutating func parseIndexItems(opener: Token) throws -> [IndexItem] {
    var items: [IndexItem] = []
    repeat {
      items.append(try parseIndexItem())
    } while match(.comma) && !check(.rightBracket)
    try expectClosing(.rightBracket, for: opener)
    return items
  }

  /// Parses one index item: `...`, an expression, or a slice `start:stop:step` with optional parts.
  private mutating func parseIndexItem() throws -> IndexItem {
    if match(.dotDotDot) { return .ellipsis }
    var start: Expr?
    if !check(.colon) {
      let expr = try parseExpression()
      guard check(.colon) else { return .index(expr) }
      start = expr
    }
    advance()
    let stop = try parseSlicePart()
    let step = match(.colon) ? try parseSlicePart() : nil
    return .slice(start: start, stop: stop, step: step)
  }

  /// Parses an optional slice bound: nothing when `:`, `,` or `]` comes next.
  private mutating func parseSlicePart() throws -> Expr? {
    check(.colon) || check(.comma) || check(.rightBracket) ? nil : try parseExpression()
  }

  /// Parses a literal, name, parenthesized expression, list, block, `if` or lambda.
  private mutating func parsePrimary() throws -> Expr {
    let token = peek
    let kind: Expr.Kind
    switch token.kind {
    case .number: kind = .number(token.number)
    case .string: kind = .string(token.text)
    case .formatString:
      advance()
      return try parseFormatString(token)
    case .keywordTrue: kind = .bool(true)
    case .keywordFalse: kind = .bool(false)
    case .keywordNone: kind = .none
    case .identifier where token.text == "lambda" && (peekNext.kind == .identifier || peekNext.kind == .colon):
      throw fail("LossLang has no 'lambda x: …'; write fn(x) => …", at: token)
    case .identifier: kind = .name(Symbol(token.text))
    case .leftParen:
      advance()
      let inner = try parseExpression()
      try expectClosing(.rightParen, for: token)
      return Expr(kind: inner.kind, span: span(from: token.start))
    case .leftBracket: return try parseList()
    case .leftBrace: return try startsDict() ? try parseDict() : try parseBlock()
    case .keywordIf: return try parseConditional()
    case .keywordFn: return try parseLambda()
    default: throw failExpected("expected expression")
    }
    advance()
    return Expr(kind: kind, span: span(of: token))
  }

  /// Parses `[a, b, …]`, allowing a trailing comma and the empty list.
  private mutating func parseList() throws -> Expr {
    let opener = advance()
    var items: [Expr] = []
    while !check(.rightBracket) {
      items.append(try parseExpression())
      if !match(.comma) { break }
    }
    try expectClosing(.rightBracket, for: opener)
    return Expr(kind: .list(items), span: span(from: opener.start))
  }

  /// Whether the `{` ahead opens a dict literal rather than a block: `{}`, or a `:` outside
  /// any bracket before the first statement would end (no statement holds one there).
  private func startsDict() -> Bool {
    var i = current + 1
    while i < tokens.count, tokens[i].kind == .newline { i += 1 }
    if i < tokens.count, tokens[i].kind == .rightBrace { return true }
    var nesting = 0
    while i < tokens.count {
      switch tokens[i].kind {
      case .leftParen, .leftBracket, .leftBrace: nesting += 1
      case .rightParen, .rightBracket: nesting -= 1
      case .rightBrace where nesting == 0: return false
      case .rightBrace: nesting -= 1
      case .colon where nesting == 0: return true
      case .newline where nesting == 0, .semicolon where nesting == 0, .comma where nesting == 0, .endOfFile:
        return false
      default: break
      }
      if nesting < 0 { return false }
      i += 1
    }
    return false
  }

  /// Parses `{key: value, …}`, allowing newlines between entries and a trailing comma.
  private mutating func parseDict() throws -> Expr {
    let opener = advance()
    var entries: [DictEntry] = []
    skipNewlines()
    while !check(.rightBrace) {
      let key = try parseExpression()
      try expect(.colon, "expected ':' after a dict key")
      entries.append(DictEntry(key: key, value: try parseExpression()))
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    try expectClosing(.rightBrace, for: opener)
    return Expr(kind: .dict(entries), span: span(from: opener.start))
  }

  /// Skips newline tokens (inside a dict literal they separate nothing).
  private mutating func skipNewlines() {
    while check(.newline) { advance() }
  }

  /// Parses `if cond { … }` with an optional `else { … }` or `else if …`.
  ///
  /// The `else` may stand on the line after the closing `}`. The condition never admits
  /// `break` or `continue`; the branches do when ``jumpsAllowed`` is on.
  mutating func parseConditional() throws -> Expr {
    let ifToken = advance()
    let allowsJumps = jumpsAllowed
    jumpsAllowed = false
    let condition = try parseExpression()
    jumpsAllowed = allowsJumps
    guard check(.leftBrace) else { throw failExpected("expected '{' after the if condition") }
    let then = try parseBlock()
    if check(.newline), peekNext.kind == .keywordElse { advance() }
    var otherwise: Expr?
    if match(.keywordElse) {
      if check(.keywordIf) {
        try deepen()
        otherwise = try parseConditional()
      } else if check(.leftBrace) {
        otherwise = try parseBlock()
      } else {
        throw failExpected("expected '{' or 'if' after 'else'")
      }
    }
    let kind = Expr.Kind.conditional(condition: condition, then: then, otherwise: otherwise)
    return Expr(kind: kind, span: span(from: ifToken.start))
  }

  /// Parses `fn(params) => body`.
  private mutating func parseLambda() throws -> Expr {
    let fnToken = advance()
    guard check(.leftParen) else { throw failExpected("expected '(' after 'fn'") }
    let parameters = try parseParameters()
    let enclosingLoops = loopDepth
    loopDepth = 0
    defer { loopDepth = enclosingLoops }
    try expect(.arrow, "expected '=>' after the lambda's parameters")
    let body = try parseExpression()
    return Expr(kind: .lambda(parameters: parameters, body: body), span: span(from: fnToken.start))
  }
}
