/// f-strings: `f"step {i}: {loss:.4f}"` splits into text and replacement fields, each an
/// expression parsed from its own bytes of the file (so errors point inside the string)
/// with an optional format spec after a `:` that is outside every bracket.
extension Parser {
  /// Parses the `formatString` token `token` into text and fields.
  mutating func parseFormatString(_ token: Token) throws -> Expr {
    let bytes = file.bytes
    let end = token.end - 1
    var parts: [FormatPart] = []
    var text: [UInt8] = []
    var i = token.start + 2
    while i < end {
      let c = bytes[i]
      let next = i + 1 < end ? bytes[i + 1] : 0
      switch c {
      case UInt8(ascii: "{") where next == c, UInt8(ascii: "}") where next == c:
        text.append(c)
        i += 2
      case UInt8(ascii: "}"):
        throw fail("single '}' in an f-string (write '}}' for a brace)", span: bytesSpan(i, i + 1), atEnd: false)
      case UInt8(ascii: "{"):
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        text = []
        let (field, after) = try parseField(openingAt: i, end: end)
        parts.append(field)
        i = after
      case UInt8(ascii: "\\"):
        guard let decoded = Self.escaped(next) else {
          throw fail("invalid escape sequence '\\\(Character(Unicode.Scalar(next)))' in string", span: bytesSpan(i, i + 2), atEnd: false)
        }
        text.append(decoded)
        i += 2
      default:
        text.append(c)
        i += 1
      }
    }
    if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
    return Expr(kind: .format(parts), span: span(of: token))
  }

  /// The byte an escape `\c` stands for (`\n \t \" \' \\`), or nil.
  private static func escaped(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "n"): UInt8(ascii: "\n")
    case UInt8(ascii: "t"): UInt8(ascii: "\t")
    case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): c
    default: nil
    }
  }

  /// The span of bytes `start..<end` of the file.
  private func bytesSpan(_ start: Int, _ end: Int) -> SourceSpan {
    SourceSpan(file: file, start: start, end: end)
  }

  /// Parses the field whose `{` is at `open`; returns it and the offset after its `}`.
  private mutating func parseField(openingAt open: Int, end: Int) throws -> (FormatPart, Int) {
    let (close, colon) = try fieldBounds(openingAt: open, end: end)
    let expressionEnd = colon ?? close
    let bytes = file.bytes
    guard bytes[(open + 1)..<expressionEnd].contains(where: { $0 != UInt8(ascii: " ") }) else {
      throw fail("empty expression in an f-string field", span: bytesSpan(open, close + 1), atEnd: false)
    }
    let spec = colon.map { String(decoding: bytes[($0 + 1)..<close], as: UTF8.self) } ?? ""
    if spec.contains("{") {
      throw fail("a format spec cannot hold a '{' field", span: bytesSpan(open, close + 1), atEnd: false)
    }
    let entryDepth = depth
    defer { depth = entryDepth }
    try deepen()
    var inner = Parser(file: file, tokens: Lexer.tokenize(file, range: (open + 1)..<expressionEnd))
    inner.depth = depth
    let expr = try? inner.parseExpression()
    if let expr, inner.diagnostics.isEmpty, !inner.check(.endOfFile) {
      _ = inner.fail("unexpected \(inner.peek.quoted) in an f-string field", at: inner.peek)
    }
    if let first = inner.diagnostics.first {
      nestingOverflow = nestingOverflow || inner.nestingOverflow
      let message = first.message == "unexpected end of file" ? "unexpected end of the f-string field" : first.message
      throw fail(message, span: first.span ?? bytesSpan(open, close + 1), atEnd: false)
    }
    guard let expr else { throw fail("invalid f-string field", span: bytesSpan(open, close + 1), atEnd: false) }
    return (.field(expr, spec: spec), close + 1)
  }

  /// The offsets of the `}` closing the field opened at `open`, and of the first `:` outside
  /// every bracket and string in it.
  private mutating func fieldBounds(openingAt open: Int, end: Int) throws -> (close: Int, colon: Int?) {
    let bytes = file.bytes
    var nesting = 0
    var colon: Int?
    var quote: UInt8?
    var j = open + 1
    while j < end {
      let c = bytes[j]
      if let q = quote {
        if c == UInt8(ascii: "\\") { j += 1 } else if c == q { quote = nil }
      } else {
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): nesting += 1
        case UInt8(ascii: ")"), UInt8(ascii: "]"): nesting -= 1
        case UInt8(ascii: "}") where nesting == 0: return (j, colon)
        case UInt8(ascii: "}"): nesting -= 1
        case UInt8(ascii: ":") where nesting == 0 && colon == nil: colon = j
        default: break
        }
      }
      j += 1
    }
    throw fail("'{' in an f-string is never closed (write '{{' for a brace)", span: bytesSpan(open, open + 1), atEnd: false)
  }
}
