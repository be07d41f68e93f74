/// The kinds of token the lexer produces, with their source spelling as raw value.
///
/// Literal and special kinds (`number`, `identifier`, `newline`, ...) use a
/// descriptive word instead of a spelling.
enum TokenKind: String, Sendable {
  // Literals and names.
  case number, string, identifier
  /// `f"…{expr:spec}…"`: the token spans the whole literal; the parser splits it.
  case formatString

  // Keywords.
  case keywordDef = "def", keywordFn = "fn", keywordIf = "if", keywordElse = "else"
  case keywordFor = "for", keywordIn = "in", keywordImport = "import", keywordWhile = "while"
  case keywordBreak = "break", keywordContinue = "continue"
  case keywordTrue = "true", keywordFalse = "false", keywordNone = "none"

  // Operators.
  case plus = "+", minus = "-", star = "*", slash = "/", at = "@", percent = "%", caret = "^", starStar = "**"
  case plusEqual = "+=", minusEqual = "-=", starEqual = "*=", slashEqual = "/=", caretEqual = "^="
  case starStarEqual = "**="
  case bang = "!", bangEqual = "!=", equalEqual = "==", equal = "="
  case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
  case andAnd = "&&", orOr = "||", arrow = "=>"
  case dot = ".", dotDotLess = "..<", dotDotDot = "..."

  // Punctuation.
  case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
  case leftBrace = "{", rightBrace = "}", comma = ",", semicolon = ";", colon = ":"

  // Structure.
  case newline, endOfFile, error

  /// The keyword spelled `word`, if it is one.
  static func keyword(_ word: String) -> TokenKind? {
    switch word {
    case "def": .keywordDef
    case "fn": .keywordFn
    case "if": .keywordIf
    case "else": .keywordElse
    case "for": .keywordFor
    case "in": .keywordIn
    case "import": .keywordImport
    case "while": .keywordWhile
    case "break": .keywordBreak
    case "continue": .keywordContinue
    case "true": .keywordTrue
    case "false": .keywordFalse
    case "none": .keywordNone
    default: nil
    }
  }

  /// The operator a compound assignment (`+=`, `**=`, …) applies, or nil for other tokens.
  var compoundOperator: BinaryOperator? {
    switch self {
    case .plusEqual: .add
    case .minusEqual: .subtract
    case .starEqual: .multiply
    case .slashEqual: .divide
    case .caretEqual, .starStarEqual: .power
    default: nil
    }
  }

  /// Whether a line ending with this token continues on the next line.
  ///
  /// True for binary and prefix operators, `=`, `=>`, `,` and `.`: none of
  /// them can end a statement.
  var continuesLine: Bool {
    switch self {
    case .plus, .minus, .star, .slash, .at, .percent, .caret, .starStar, .bang, .bangEqual, .equalEqual,
      .plusEqual, .minusEqual, .starEqual, .slashEqual, .caretEqual, .starStarEqual,
      .equal, .less, .lessEqual, .greater, .greaterEqual, .andAnd, .orOr, .arrow, .dot,
      .dotDotLess, .dotDotDot, .comma, .leftBrace:
      true
    default:
      false
    }
  }
}

/// One token: its kind, where it lies, its source text and its decoded value.
struct Token: Sendable {
  /// What sort of token this is.
  let kind: TokenKind
  /// Byte offset of the first byte.
  let start: Int
  /// Byte offset one past the last byte.
  let end: Int
  /// The source text of the token.
  let lexeme: String
  /// The value of a `number` token.
  var number: Double = 0
  /// The decoded text of a `string` token, or the message of an `error` token.
  var text: String = ""
  /// For a `def` token, the `##` doc comment lines directly above it.
  var doc: String = ""

  /// How the token reads in an error message: `'x'`, `newline` or `end of file`.
  var quoted: String {
    switch kind {
    case .newline: "newline"
    case .endOfFile: "end of file"
    default: "'\(lexeme.count > 40 ? String(lexeme.prefix(40)) + "…" : lexeme)'"
    }
  }
}
