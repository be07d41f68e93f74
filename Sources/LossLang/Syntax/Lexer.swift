/// Turns the bytes of a source file into tokens.
///
/// Newlines become `newline` tokens only where they can end a statement: not
/// inside `(` or `[`, not after a token that needs a continuation (an operator,
/// `=`, `,`, `=>`, `{`), and never twice in a row. Malformed input becomes an
/// `error` token carrying its message, which the parser reports; the lexer
/// itself never fails.
///
/// ```swift
/// let tokens = Lexer.tokenize(SourceFile(path: "-e", text: "x = 1 + 2"))
/// // identifier, =, number, +, number, end of file
/// ```
struct Lexer {
  /// The file being scanned.
  private let file: SourceFile
  /// The file's bytes up to where scanning stops (its end, or the end of an f-string field).
  private let bytes: ArraySlice<UInt8>
  /// Offset of the next byte to scan.
  private var position = 0
  /// 1-based line of `position`.
  private var line = 1
  /// Whether the current line has produced a token yet.
  private var lineHasToken = false
  /// The tokens produced so far.
  private var tokens: [Token] = []
  /// The brackets currently open, innermost last.
  private var openBrackets: [TokenKind] = []
  /// The `##` lines seen most recently, and the line of the last one.
  private var docLines: [String] = []
  private var lastDocLine = -1

  /// Scans a whole file; the result always ends with an `endOfFile` token.
  static func tokenize(_ file: SourceFile) -> [Token] {
    var lexer = Lexer(file: file)
    lexer.scanAll()
    return lexer.tokens
  }

  /// Scans the bytes `range` of `file` (an f-string's field) as if they were the whole
  /// file; offsets are the file's, and the last token is `endOfFile` at `range.upperBound`.
  static func tokenize(_ file: SourceFile, range: Range<Int>) -> [Token] {
    var lexer = Lexer(file: file, end: range.upperBound)
    lexer.position = range.lowerBound
    lexer.scanAll()
    return lexer.tokens
  }

  /// Creates a lexer at the start of `file` that stops at byte `end` (the file's end by default).
  private init(file: SourceFile, end: Int? = nil) {
    self.file = file
    self.bytes = file.bytes[..<min(end ?? file.bytes.count, file.bytes.count)]
  }

  /// The byte `ahead` positions after the current one, or 0 past the end.
  private func byte(_ ahead: Int = 0) -> UInt8 {
    let index = position + ahead
    return index < bytes.count ? bytes[index] : 0
  }

  /// Scans tokens until the end of the file.
  private mutating func scanAll() {
    while position < bytes.count {
      let c = byte()
      switch c {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
        position += 1
      case UInt8(ascii: "\n"):
        newline()
      case UInt8(ascii: "#"):
        comment()
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        string(quote: c)
      case _ where c | 0x20 == UInt8(ascii: "f") && (byte(1) == UInt8(ascii: "\"") || byte(1) == UInt8(ascii: "'")):
        formatString()
      case _ where isDigit(c) || (c == UInt8(ascii: ".") && isDigit(byte(1))):
        number()
      case _ where isIdentifierStart(c):
        identifier()
      default:
        punctuation()
      }
    }
    add(.endOfFile, from: bytes.count)
  }

  /// Appends a token spanning `start..<position` (or `start..<end`).
  private mutating func add(
    _ kind: TokenKind, from start: Int, to end: Int? = nil, update: (inout Token) -> Void = { _ in }
  ) {
    let stop = end ?? position
    var token = Token(
      kind: kind, start: start, end: stop, lexeme: String(decoding: bytes[start..<stop], as: UTF8.self))
    update(&token)
    tokens.append(token)
    if kind != .newline { lineHasToken = true }
  }

  /// Appends an error token with `message` spanning `start..<end`.
  private mutating func addError(_ message: String, from start: Int, to end: Int) {
    add(.error, from: start, to: end) { $0.text = message }
  }

  /// Handles a newline byte: emits a `newline` token where it can end a statement.
  private mutating func newline() {
    let insideGroup = openBrackets.last == .leftParen || openBrackets.last == .leftBracket
    let previous = tokens.last?.kind
    let needed = !insideGroup && previous != nil && previous != .newline && previous != .semicolon
    if needed, let previous, !previous.continuesLine {
      add(.newline, from: position, to: position + 1)
    }
    position += 1
    line += 1
    lineHasToken = false
  }

  /// Skips a `#` comment; a `##` comment alone on its line is kept as doc text.
  private mutating func comment() {
    let start = position
    while position < bytes.count, byte() != UInt8(ascii: "\n") { position += 1 }
    guard !lineHasToken, position - start >= 2, bytes[start + 1] == UInt8(ascii: "#") else { return }
    var text = String(decoding: bytes[(start + 2)..<position], as: UTF8.self)
    if text.hasPrefix(" ") { text.removeFirst() }
    if text.hasSuffix("\r") { text.removeLast() }
    if lastDocLine != line - 1 { docLines = [] }
    docLines.append(text)
    lastDocLine = line
  }

  /// Scans an identifier or keyword; a `def` takes the doc lines directly above it.
  private mutating func identifier() {
    let start = position
    while position < bytes.count, isIdentifierStart(byte()) || isDigit(byte()) { position += 1 }
    let word = String(decoding: bytes[start..<position], as: UTF8.self)
    let kind = TokenKind.keyword(word) ?? .identifier
    let doc =
      kind == .keywordDef && !lineHasToken && lastDocLine == line - 1 ? docLines.joined(separator: "\n") : ""
    add(kind, from: start) {
      $0.text = word
      $0.doc = doc
    }
  }

  /// Scans a number literal, reporting `invalid number literal` for malformed ones.
  ///
  /// The token extends over every letter, digit, `_`, a `.` followed by a digit,
  /// a sign after an exponent letter and a trailing `.` (`1.`, but not the one
  /// in `1..<n` or `1.sum()`), so `1e`, `1.2.3` and `3abc` are each one bad
  /// token rather than several good ones.
  private mutating func number() {
    let start = position
    while position < bytes.count {
      let c = byte()
      let afterExponent = position > start && bytes[position - 1] | 0x20 == UInt8(ascii: "e")
      if isIdentifierStart(c) || isDigit(c) {
        position += 1
      } else if c == UInt8(ascii: "."), isDigit(byte(1)) {
        position += 1
      } else if c == UInt8(ascii: "."), isDigit(bytes[position - 1]), byte(1) != c,
        !isIdentifierStart(byte(1))
      {
        position += 1
        break
      } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-"), afterExponent, isDigit(byte(1)) {
        position += 1
      } else {
        break
      }
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    if let value = Lexer.numberValue(Array(bytes[start..<position])) {
      add(.number, from: start) { $0.number = value }
    } else {
      addError("invalid number literal '\(text)'", from: start, to: position)
    }
  }

  /// The value of a well-formed number literal, or nil.
  ///
  /// Grammar: `digits ('.' digits?)? | '.' digits`, then optionally
  /// `[eE] [+-]? digits`, where `digits` may contain single `_` between digits.
  static func numberValue(_ literal: [UInt8]) -> Double? {
    var index = 0
    /// Consumes `digits` and reports whether there was at least one digit.
    func digits() -> Bool {
      let start = index
      while index < literal.count {
        if isDigit(literal[index]) {
          index += 1
        } else if literal[index] == UInt8(ascii: "_"), index > start, index + 1 < literal.count,
          isDigit(literal[index + 1])
        {
          index += 1
        } else {
          break
        }
      }
      return index > start
    }
    let hasInteger = digits()
    if index < literal.count, literal[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() || hasInteger else { return nil }
    } else if !hasInteger {
      return nil
    }
    if index < literal.count, literal[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < literal.count, literal[index] == UInt8(ascii: "+") || literal[index] == UInt8(ascii: "-") {
        index += 1
      }
      guard digits() else { return nil }
    }
    guard index == literal.count else { return nil }
    let cleaned = literal.filter { $0 != UInt8(ascii: "_") }
    return Double(String(decoding: cleaned, as: UTF8.self) + (cleaned.last == UInt8(ascii: ".") ? "0" : ""))
  }

  /// Scans a quoted string, decoding `\n \t \" \' \\` escapes.
  private mutating func string(quote: UInt8) {
    let start = position
    position += 1
    var content: [UInt8] = []
    var badEscape: (message: String, start: Int, end: Int)?
    while true {
      guard position < bytes.count, byte() != UInt8(ascii: "\n") else {
        addError("unterminated string", from: start, to: position)
        return
      }
      let c = byte()
      position += 1
      if c == quote { break }
      guard c == UInt8(ascii: "\\") else {
        content.append(c)
        continue
      }
      switch byte() {
      case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n"))
      case UInt8(ascii: "t"): content.append(UInt8(ascii: "\t"))
      case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): content.append(byte())
      default:
        let length = byte() == UInt8(ascii: "\n") || position >= bytes.count ? 0 : scalarLength(at: position)
        let escape = String(decoding: bytes[(position - 1)..<(position + length)], as: UTF8.self)
        if badEscape == nil {
          badEscape = ("invalid escape sequence '\(escape)' in string", position - 1, position + length)
        }
        position += length
        continue
      }
      position += 1
    }
    if let badEscape {
      addError(badEscape.message, from: badEscape.start, to: badEscape.end)
    } else {
      let value = String(decoding: content, as: UTF8.self)
      add(.string, from: start) { $0.text = value }
    }
  }

  /// Scans an f-string `f"…"` to its closing quote, skipping over the replacement fields
  /// (which may hold brackets and strings in either quote, as Python 3.12 allows).
  ///
  /// The token covers the whole literal; the parser decodes the text and parses the fields.
  private mutating func formatString() {
    let start = position
    let quote = byte(1)
    position += 2
    var fieldDepth = 0
    while true {
      guard position < bytes.count, byte() != UInt8(ascii: "\n") else {
        position = min(position, bytes.count)
        addError("unterminated string", from: start, to: position)
        return
      }
      let c = byte()
      if fieldDepth == 0, c == quote { break }
      switch c {
      case UInt8(ascii: "\\"): position += 1
      case UInt8(ascii: "{") where fieldDepth == 0 && byte(1) == c: position += 1
      case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["): fieldDepth += c == UInt8(ascii: "{") || fieldDepth > 0 ? 1 : 0
      case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"): fieldDepth = max(0, fieldDepth - 1)
      case UInt8(ascii: "\"") where fieldDepth > 0, UInt8(ascii: "'") where fieldDepth > 0: skipNestedString(quote: c)
      default: break
      }
      position += 1
    }
    position += 1
    add(.formatString, from: start)
  }

  /// Moves `position` onto the closing quote of a string inside an f-string's field.
  private mutating func skipNestedString(quote: UInt8) {
    position += 1
    while position < bytes.count, byte() != quote, byte() != UInt8(ascii: "\n") {
      if byte() == UInt8(ascii: "\\") { position += 1 }
      position += 1
    }
    if position >= bytes.count || byte() == UInt8(ascii: "\n") { position -= 1 }
  }

  /// Operators spelled with more than one byte, longest first.
  private static let multiByteOperators: [([UInt8], TokenKind)] = [
    TokenKind.dotDotLess, .dotDotDot, .starStarEqual, .equalEqual, .bangEqual, .lessEqual, .greaterEqual,
    .andAnd, .orOr, .arrow, .starStar, .plusEqual, .minusEqual, .starEqual, .slashEqual, .caretEqual,
  ].map { (Array($0.rawValue.utf8), $0) }

  /// Scans an operator or bracket; anything else becomes an `unexpected character` error.
  private mutating func punctuation() {
    let start = position
    for (spelling, kind) in Lexer.multiByteOperators where matches(spelling) {
      position += spelling.count
      add(kind, from: start)
      return
    }
    if matches(Array("..".utf8)) {
      position += 2
      addError("unexpected '..' (did you mean '..<' or '...'?)", from: start, to: position)
      return
    }
    let length = scalarLength(at: position)
    let text = String(decoding: bytes[position..<(position + length)], as: UTF8.self)
    position += length
    guard let kind = TokenKind(rawValue: text) else {
      addError(unexpectedCharacterMessage(text), from: start, to: position)
      return
    }
    trackBracket(kind)
    add(kind, from: start)
  }

  /// The message for a character that starts no token, with a hint for `&`, `|` and `..`.
  private func unexpectedCharacterMessage(_ text: String) -> String {
    let shown = text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined()
    switch text {
    case "&": return "unexpected character '&' (did you mean '&&'?)"
    case "|": return "unexpected character '|' (did you mean '||'?)"
    default: return "unexpected character '\(shown)'"
    }
  }

  /// Updates the stack of open brackets for a bracket token.
  ///
  /// A closing bracket pops up to its matching opener when there is one, so a
  /// stray `)` or a missing `]` does not disturb newline handling for long.
  private mutating func trackBracket(_ kind: TokenKind) {
    let opener: TokenKind
    switch kind {
    case .leftParen, .leftBracket, .leftBrace:
      openBrackets.append(kind)
      return
    case .rightParen: opener = .leftParen
    case .rightBracket: opener = .leftBracket
    case .rightBrace: opener = .leftBrace
    default: return
    }
    if let index = openBrackets.lastIndex(of: opener) {
      openBrackets.removeSubrange(index...)
    }
  }

  /// Whether the bytes at the current position spell `text`.
  private func matches(_ text: [UInt8]) -> Bool {
    for (offset, expected) in text.enumerated() where byte(offset) != expected { return false }
    return true
  }

  /// The number of bytes in the UTF-8 sequence starting at `index` (at least 1, within bounds).
  private func scalarLength(at index: Int) -> Int {
    guard index < bytes.count else { return 0 }
    let lead = bytes[index]
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    return min(length, bytes.count - index)
  }
}

/// Whether `c` is an ASCII digit.
private func isDigit(_ c: UInt8) -> Bool {
  c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
}

/// Whether `c` can start an identifier: an ASCII letter or `_`.
private func isIdentifierStart(_ c: UInt8) -> Bool {
  (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || c == UInt8(ascii: "_")
}
