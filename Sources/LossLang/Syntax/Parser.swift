/// A recursive-descent and Pratt parser from tokens to the syntax tree.
///
/// Errors use Crafting Interpreters' panic mode: the first error in a statement
/// is recorded as a ``Diagnostic``, the parser skips to the next statement
/// boundary (``synchronize()``) and carries on, so one run reports every broken
/// statement. Nesting deeper than ``maxDepth`` is an error, not a stack overflow.
///
/// ```swift
/// let statements = try Parser.parse(SourceFile(path: "-e", text: "y = -x^2"))
/// ```
struct Parser {
  /// Thrown inside the parser to unwind to the nearest statement boundary.
  struct Bailout: Error {}

  /// The deepest nesting of expressions (brackets, operators, blocks) accepted.
  static let maxDepth = 500
  /// How many operators continuing a left-associative chain (`a + b + c`) cost one level of
  /// nesting: each deepens the tree by one, but walking that tree takes a fraction of the
  /// stack that parsing a bracket does, so a flat chain may be 4 × ``maxDepth`` long.
  static let chainLinksPerLevel = 4

  /// The file being parsed, for spans.
  let file: SourceFile
  /// The tokens, always ending with `endOfFile`.
  let tokens: [Token]
  /// Index of the next token to consume.
  var current = 0
  /// The errors found so far.
  var diagnostics: [Diagnostic] = []
  /// Whether an error is being recovered from; further errors are not reported.
  var panicking = false
  /// Whether the first error was met at the end of the file.
  var firstErrorAtEnd = false
  /// The current nesting depth in chain links (``chainLinksPerLevel`` per level), checked
  /// against ``maxDepth``.
  var depth = 0
  /// Whether ``maxDepth`` was exceeded, which abandons the rest of the file.
  var nestingOverflow = false
  /// How many loops enclose the current position within the current function body.
  var loopDepth = 0
  /// Whether a `break` or `continue` statement may stand here: in a loop body, or in an `if`
  /// statement there, but not inside an expression whose value is used.
  var jumpsAllowed = false

  /// Parses a whole file into statements, or throws a `LossLangError(kind: .syntax)` holding every diagnostic found.
  static func parse(_ file: SourceFile) throws -> [Stmt] {
    var parser = Parser(file: file)
    let statements = parser.parseProgram()
    guard parser.diagnostics.isEmpty else {
      throw LossLangError(kind: .syntax, diagnostics: parser.diagnostics)
    }
    return statements
  }

  /// Whether `text` stops in the middle of a statement, so a REPL should read another line.
  ///
  /// True when the first syntax error is running into the end of the text: open
  /// brackets or braces, a trailing binary operator, `=` or `,`, or an `if`,
  /// `for`, `while` or `def` still waiting for its block.
  static func isIncomplete(_ text: String) -> Bool {
    var parser = Parser(file: SourceFile(path: "<repl>", text: text))
    _ = parser.parseProgram()
    return parser.firstErrorAtEnd
  }

  /// Creates a parser over the tokens of `file`.
  private init(file: SourceFile) {
    self.init(file: file, tokens: Lexer.tokenize(file))
  }

  /// Creates a parser over `tokens` of `file`, which must end with `endOfFile` (an f-string's field).
  init(file: SourceFile, tokens: [Token]) {
    self.file = file
    self.tokens = tokens
  }

  /// Parses statements until the end of the file, recovering from errors.
  private mutating func parseProgram() -> [Stmt] {
    var statements: [Stmt] = []
    while true {
      skipSeparators()
      if check(.endOfFile) { break }
      do {
        if check(.rightBrace) { throw fail("unexpected '}'", at: peek) }
        statements.append(try parseStatement())
        try expectStatementEnd(insideBlock: false)
      } catch {
        if nestingOverflow { break }
        synchronize(insideBlock: false)
      }
    }
    return statements
  }

  // MARK: - Token access

  /// The next token, not yet consumed.
  var peek: Token { tokens[min(current, tokens.count - 1)] }

  /// The token after the next one.
  var peekNext: Token { tokens[min(current + 1, tokens.count - 1)] }

  /// The end offset of the last consumed token.
  var previousEnd: Int { current > 0 ? tokens[min(current, tokens.count) - 1].end : 0 }

  /// Whether the next token has kind `kind`.
  func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

  /// Consumes and returns the next token (the end-of-file token is never consumed).
  @discardableResult
  mutating func advance() -> Token {
    let token = peek
    if token.kind != .endOfFile { current += 1 }
    return token
  }

  /// Consumes the next token if it has kind `kind`.
  mutating func match(_ kind: TokenKind) -> Bool {
    guard check(kind) else { return false }
    advance()
    return true
  }

  /// Consumes a token of kind `kind`, or fails with `message` at the next token.
  @discardableResult
  mutating func expect(_ kind: TokenKind, _ message: String) throws -> Token {
    guard check(kind) else { throw failExpected(message) }
    return advance()
  }

  /// Consumes the bracket closing `opener`, or fails naming where `opener` was opened.
  @discardableResult
  mutating func expectClosing(_ kind: TokenKind, for opener: Token) throws -> Token {
    guard check(kind) else {
      let (line, column) = file.location(of: opener.start)
      let opened = "\(opener.quoted) opened at \(line):\(column)"
      if check(.endOfFile) {
        throw fail("unexpected end of file: \(opened) is never closed", span: endOfCode, atEnd: true)
      }
      throw fail("expected '\(kind.rawValue)' to close \(opened)", at: peek)
    }
    return advance()
  }

  /// Skips newlines and semicolons between statements.
  mutating func skipSeparators() {
    while check(.newline) || check(.semicolon) { advance() }
  }

  /// Checks that a statement ends here: a newline, `;`, the end of file or (in a block) `}`.
  mutating func expectStatementEnd(insideBlock: Bool) throws {
    switch peek.kind {
    case .newline, .semicolon, .endOfFile: return
    case .rightBrace where insideBlock: return
    default: throw fail("unexpected \(peek.quoted)", at: peek)
    }
  }

  // MARK: - Spans and errors

  /// The span of one token.
  func span(of token: Token) -> SourceSpan {
    SourceSpan(file: file, start: token.start, end: token.end)
  }

  /// An empty span just after the last token that is not a newline.
  ///
  /// Errors at the end of the file point here, so the caret sits under real code.
  var endOfCode: SourceSpan {
    let last = tokens.last { $0.kind != .newline && $0.kind != .endOfFile }
    let offset = last?.end ?? file.bytes.count
    return SourceSpan(file: file, start: offset, end: offset)
  }

  /// The span from byte offset `start` to the end of the last consumed token.
  func span(from start: Int) -> SourceSpan {
    SourceSpan(file: file, start: start, end: previousEnd)
  }

  /// Records an error at `token` (unless recovering from one) and returns the error to throw.
  ///
  /// An `error` token from the lexer reports its own message instead, and the
  /// end-of-file token reads as `unexpected end of file`.
  mutating func fail(_ message: String, at token: Token) -> Bailout {
    switch token.kind {
    case .error: fail(token.text, span: span(of: token), atEnd: false)
    case .endOfFile: fail("unexpected end of file", span: endOfCode, atEnd: true)
    default: fail(message, span: span(of: token), atEnd: false)
    }
  }

  /// Records an error `message` at `span` (unless recovering from one) and returns the error to throw.
  mutating func fail(_ message: String, span: SourceSpan, atEnd: Bool) -> Bailout {
    if !panicking {
      if diagnostics.isEmpty { firstErrorAtEnd = atEnd }
      diagnostics.append(Diagnostic(span: span, message: message))
      panicking = true
    }
    return Bailout()
  }

  /// Fails at the next token with "expected …, found …".
  mutating func failExpected(_ message: String) -> Bailout {
    fail("\(message), found \(peek.quoted)", at: peek)
  }

  /// Skips to the next statement boundary after an error and leaves panic mode.
  ///
  /// Stops before a newline or `;` outside any bracket opened while skipping,
  /// and `insideBlock`, before a `}` closing the enclosing block. At the end of
  /// the file it stays in panic mode, so unclosed enclosing blocks add no
  /// further messages.
  mutating func synchronize(insideBlock: Bool) {
    var nesting = 0
    while !check(.endOfFile) {
      switch peek.kind {
      case .newline where nesting == 0, .semicolon where nesting == 0,
        .rightBrace where nesting == 0 && insideBlock:
        panicking = false
        return
      case .leftParen, .leftBracket, .leftBrace:
        nesting += 1
      case .rightParen, .rightBracket, .rightBrace:
        nesting = max(0, nesting - 1)
      default:
        break
      }
      advance()
    }
  }
}
