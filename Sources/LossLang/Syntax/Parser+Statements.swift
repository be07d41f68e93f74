/// Statements, blocks and parameter lists.
extension Parser {
  /// Parses one statement: `def`, `for`, `while`, `break`, `continue`, `import`, an
  /// assignment (plain, compound or destructuring) or an expression.
  ///
  /// Only a `break` or `continue` standing directly here may use ``jumpsAllowed``: every
  /// expression parsed for this statement is parsed with it off.
  mutating func parseStatement() throws -> Stmt {
    let allowsJumps = jumpsAllowed
    jumpsAllowed = false
    defer { jumpsAllowed = allowsJumps }
    switch peek.kind {
    case .keywordDef:
      return try parseFunction()
    case .keywordFor:
      return try parseFor()
    case .keywordWhile:
      return try parseWhile()
    case .keywordBreak, .keywordContinue:
      return try parseJump(allowed: allowsJumps)
    case .keywordImport:
      let importToken = advance()
      let path = try expect(.string, "expected a quoted file path after 'import'")
      return Stmt(kind: .importFile(path.text), span: span(from: importToken.start))
    case .keywordIf where allowsJumps:
      return try parseIfStatement()
    case .identifier where peekNext.kind == .equal:
      let name = advance()
      advance()
      let value = try parseExpression()
      return Stmt(kind: .assign(name: Symbol(name.text), value: value), span: span(from: name.start))
    default:
      if check(.identifier), let op = peekNext.kind.compoundOperator { return try parseCompoundAssignment(op) }
      return try parseExpressionStatement(first: nil)
    }
  }

  /// Parses an expression statement, or a destructuring assignment when `=` or `,` follows
  /// the expression; `first`, when given, is its already parsed leading operand.
  private mutating func parseExpressionStatement(first: Expr?) throws -> Stmt {
    let expr = try parsePrecedence(.range, first: first)
    if check(.equal) || check(.comma) { return try parseDestructuring(first: expr) }
    if peek.kind.compoundOperator != nil {
      throw fail("'\(peek.lexeme)' can only update a name", at: peek)
    }
    return Stmt(kind: .expression(expr), span: expr.span)
  }

  /// Parses `name += value` (and `-= *= /= ^= **=`) as `name = name op value`.
  ///
  /// The operation spans the whole statement, so an error in it points at the update.
  private mutating func parseCompoundAssignment(_ op: BinaryOperator) throws -> Stmt {
    let name = advance()
    advance()
    let value = try parseExpression()
    let target = Expr(kind: .name(Symbol(name.text)), span: span(of: name))
    let update = Expr(kind: .binary(op, target, value), span: span(from: name.start))
    return Stmt(kind: .assign(name: Symbol(name.text), value: update), span: update.span)
  }

  /// Parses the rest of `a, b = value` or `[a, [b, c]] = value` after its first target,
  /// which was read as the expression `first`.
  private mutating func parseDestructuring(first: Expr) throws -> Stmt {
    var targets = [try pattern(from: first)]
    let isTuple = check(.comma)
    while match(.comma) { targets.append(try parsePattern()) }
    let end = previousEnd
    try expect(.equal, "expected '=' after the names to assign")
    let value = try parseExpression()
    if check(.comma) { throw fail("several values are written as a list: a, b = [b, a]", at: peek) }
    let whole = span(from: first.span.start)
    let target =
      isTuple ? Pattern(kind: .list(targets), span: SourceSpan(file: file, start: first.span.start, end: end)) : targets[0]
    if case .name(let name) = target.kind { return Stmt(kind: .assign(name: name, value: value), span: whole) }
    return Stmt(kind: .destructure(pattern: target, value: value), span: whole)
  }

  /// The pattern an expression before `=` spells: a name, or a list of patterns.
  private mutating func pattern(from expr: Expr) throws -> Pattern {
    switch expr.kind {
    case .name(let name):
      return Pattern(kind: .name(name), span: expr.span)
    case .list(let items) where !items.isEmpty:
      return Pattern(kind: .list(try items.map { try pattern(from: $0) }), span: expr.span)
    default:
      throw fail(
        "cannot assign to this expression; only names and lists of names like '[a, b]' can be assigned",
        span: expr.span, atEnd: false)
    }
  }

  /// Parses a pattern: a name, or `[pattern, …]` (a trailing comma allowed).
  private mutating func parsePattern() throws -> Pattern {
    if check(.identifier) {
      let name = advance()
      return Pattern(kind: .name(Symbol(name.text)), span: span(of: name))
    }
    guard check(.leftBracket) else { throw failExpected("expected a name or '[' to assign to") }
    let opener = advance()
    var items: [Pattern] = []
    repeat {
      items.append(try parsePattern())
    } while match(.comma) && !check(.rightBracket)
    try expectClosing(.rightBracket, for: opener)
    return Pattern(kind: .list(items), span: span(from: opener.start))
  }

  /// Parses a statement starting with `if` in a loop body: its branches may `break` or
  /// `continue`, unless the `if` turns out to be an operand (`if c { 1 } else { 2 } + x`).
  private mutating func parseIfStatement() throws -> Stmt {
    jumpsAllowed = true
    let conditional = try parseConditional()
    jumpsAllowed = false
    switch peek.kind {
    case .newline, .semicolon, .endOfFile, .rightBrace:
      return Stmt(kind: .expression(conditional), span: conditional.span)
    default:
      if let jump = Parser.firstJump(in: conditional) {
        throw fail("'\(jump.kind)' cannot be part of an expression", span: jump.span, atEnd: false)
      }
      return try parseExpressionStatement(first: conditional)
    }
  }

  /// The first `break` or `continue` among the statements of an `if` statement's branches.
  private static func firstJump(in expr: Expr) -> (kind: String, span: SourceSpan)? {
    switch expr.kind {
    case .conditional(_, let then, let otherwise):
      return firstJump(in: then) ?? otherwise.flatMap { firstJump(in: $0) }
    case .block(let statements):
      for statement in statements {
        switch statement.kind {
        case .jump(let jump): return (jump.rawValue, statement.span)
        case .expression(let inner): if let found = firstJump(in: inner) { return found }
        default: break
        }
      }
      return nil
    default:
      return nil
    }
  }

  /// Parses `break` or `continue`, which must stand where ``jumpsAllowed`` was on.
  private mutating func parseJump(allowed: Bool) throws -> Stmt {
    let token = advance()
    guard allowed else {
      let message =
        loopDepth == 0
        ? "'\(token.lexeme)' outside a loop" : "'\(token.lexeme)' cannot be part of an expression"
      throw fail(message, at: token)
    }
    return Stmt(kind: .jump(token.kind == .keywordBreak ? .exit : .next), span: span(of: token))
  }

  /// Parses `def name(params) = expr` or `def name(params) { … }`, with the doc lines above it.
  private mutating func parseFunction() throws -> Stmt {
    let defToken = advance()
    let name = try expect(.identifier, "expected a function name after 'def'")
    guard check(.leftParen) else { throw failExpected("expected '(' after the function name") }
    let parameters = try parseParameters()
    let enclosingLoops = loopDepth
    loopDepth = 0
    defer { loopDepth = enclosingLoops }
    let body: Expr
    if match(.equal) {
      body = try parseExpression()
    } else if check(.leftBrace) {
      body = try parseBlock()
    } else {
      throw failExpected("expected '=' or '{' after the parameters of '\(name.text)'")
    }
    let kind = Stmt.Kind.function(name: name.text, parameters: parameters, body: body, doc: defToken.doc)
    return Stmt(kind: kind, span: span(from: defToken.start))
  }

  /// Parses `for pattern in iterable { … }`; `for a, b in …` is `for [a, b] in …`.
  private mutating func parseFor() throws -> Stmt {
    let forToken = advance()
    guard check(.identifier) || check(.leftBracket) else { throw failExpected("expected a loop variable after 'for'") }
    var variable = try parsePattern()
    if check(.comma) {
      var items = [variable]
      while match(.comma) { items.append(try parsePattern()) }
      variable = Pattern(kind: .list(items), span: span(from: variable.span.start))
    }
    try expect(.keywordIn, "expected 'in' after the loop variable")
    let iterable = try parseExpression()
    guard check(.leftBrace) else { throw failExpected("expected '{' after the for-loop's iterable") }
    let body = try parseLoopBody()
    let kind = Stmt.Kind.forLoop(variable: variable, iterable: iterable, body: body)
    return Stmt(kind: kind, span: span(from: forToken.start))
  }

  /// Parses `while condition { … }`.
  private mutating func parseWhile() throws -> Stmt {
    let whileToken = advance()
    let condition = try parseExpression()
    guard check(.leftBrace) else { throw failExpected("expected '{' after the while-loop's condition") }
    let body = try parseLoopBody()
    return Stmt(kind: .whileLoop(condition: condition, body: body), span: span(from: whileToken.start))
  }

  /// Parses a loop's block, whose statements (and `if` statements among them) may `break`
  /// or `continue`.
  private mutating func parseLoopBody() throws -> Expr {
    let enclosing = (loopDepth, jumpsAllowed)
    defer { (loopDepth, jumpsAllowed) = enclosing }
    loopDepth += 1
    jumpsAllowed = true
    return try parseBlock()
  }

  /// Parses `{ statements }` into a `.block` expression, recovering from errors inside it.
  ///
  /// A broken statement is reported and skipped up to the next newline, `;` or
  /// the closing `}`, so errors in one function body do not hide later ones.
  /// Too deep a nesting is not recovered from: it abandons the rest of the file.
  mutating func parseBlock() throws -> Expr {
    let entryDepth = depth
    defer { depth = entryDepth }
    let opener = try expect(.leftBrace, "expected '{'")
    try deepen()
    var statements: [Stmt] = []
    while true {
      skipSeparators()
      if check(.rightBrace) || check(.endOfFile) { break }
      do {
        statements.append(try parseStatement())
        try expectStatementEnd(insideBlock: true)
      } catch {
        if nestingOverflow { throw error }
        synchronize(insideBlock: true)
      }
    }
    try expectClosing(.rightBrace, for: opener)
    return Expr(kind: .block(statements), span: span(from: opener.start))
  }

  /// Parses `(a, b=default, …)`: defaults must come last and names must differ.
  mutating func parseParameters() throws -> [Parameter] {
    let opener = try expect(.leftParen, "expected '('")
    var parameters: [Parameter] = []
    var names: Set<String> = []
    while !check(.rightParen) {
      let name = try expect(.identifier, "expected a parameter name")
      let defaultValue = match(.equal) ? try parseExpression() : nil
      if !names.insert(name.text).inserted {
        throw fail("duplicate parameter '\(name.text)'", at: name)
      }
      if defaultValue == nil, parameters.last?.defaultValue != nil {
        throw fail("parameter '\(name.text)' without a default follows a parameter with a default", at: name)
      }
      parameters.append(Parameter(name: name.text, defaultValue: defaultValue, span: span(from: name.start)))
      if !match(.comma) { break }
    }
    try expectClosing(.rightParen, for: opener)
    return parameters
  }
}
