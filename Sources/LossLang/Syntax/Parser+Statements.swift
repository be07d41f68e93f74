/// Statements, blocks and parameter lists.
extension Parser {
  /// Parses one statement: `def`, `for`, `import`, `name = value` or an expression.
  mutating func parseStatement() throws -> Stmt {
    switch peek.kind {
    case .keywordDef:
      return try parseFunction()
    case .keywordFor:
      return try parseFor()
    case .keywordImport:
      let importToken = advance()
      let path = try expect(.string, "expected a quoted file path after 'import'")
      return Stmt(kind: .importFile(path.text), span: span(from: importToken.start))
    case .identifier where peekNext.kind == .equal:
      let name = advance()
      advance()
      let value = try parseExpression()
      return Stmt(kind: .assign(name: Symbol(name.text), value: value), span: span(from: name.start))
    default:
      let expr = try parseExpression()
      if check(.equal) {
        throw fail(
          "cannot assign to this expression; only 'name = value' is allowed", span: expr.span, atEnd: false)
      }
      return Stmt(kind: .expression(expr), span: expr.span)
    }
  }

  /// Parses `def name(params) = expr` or `def name(params) { … }`, with the doc lines above it.
  private mutating func parseFunction() throws -> Stmt {
    let defToken = advance()
    let name = try expect(.identifier, "expected a function name after 'def'")
    guard check(.leftParen) else { throw failExpected("expected '(' after the function name") }
    let parameters = try parseParameters()
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

  /// Parses `for name in iterable { … }`.
  private mutating func parseFor() throws -> Stmt {
    let forToken = advance()
    let variable = try expect(.identifier, "expected a loop variable after 'for'")
    try expect(.keywordIn, "expected 'in' after the loop variable")
    let iterable = try parseExpression()
    guard check(.leftBrace) else { throw failExpected("expected '{' after the for-loop's iterable") }
    let body = try parseBlock()
    let kind = Stmt.Kind.forLoop(variable: Symbol(variable.text), iterable: iterable, body: body)
    return Stmt(kind: kind, span: span(from: forToken.start))
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
