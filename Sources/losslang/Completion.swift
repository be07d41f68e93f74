import LossLang

/// What the REPL offers on Tab, worked out from the text before the cursor.
///
/// Pure logic, independent of readline: `LineEditor` asks it for candidates and hands them
/// to readline, which inserts the unique one or their common prefix and lists the rest.
struct Completer {
  /// Where the word being completed sits.
  enum Context: Equatable {
    /// A `:command` name at the start of the line.
    case command
    /// A file path (after `:load`, or inside a string literal).
    case path
    /// A name after `:help`.
    case helpName
    /// A name in an expression; `callee` is the function whose argument list the cursor
    /// is in, when a keyword argument may go here, and `usedKeywords` those already given.
    case name(callee: String?, usedKeywords: Set<String>)
  }

  /// The REPL's commands, as completed after `:`.
  static let commands = [":help", ":losses", ":vars", ":type", ":graph", ":plan", ":time", ":load", ":reset", ":quit"]
  /// LossLang's keywords.
  static let keywords = [
    "def", "fn", "if", "else", "for", "in", "while", "break", "continue", "import", "true", "false", "none",
  ]

  /// The context of `word`, which follows `prefix` (the line text before it), given the
  /// earlier lines of an unfinished input; `inString` when readline found the word inside
  /// a quoted string.
  static func context(of word: String, after prefix: String, pending: String, inString: Bool) -> Context {
    if inString { return .path }
    let trimmed = prefix.drop { $0 == " " || $0 == "\t" }
    if pending.isEmpty, trimmed.isEmpty, word.hasPrefix(":") { return .command }
    if pending.isEmpty, trimmed.hasPrefix(":") {
      let command = trimmed.prefix { $0 != " " && $0 != "\t" }
      switch command {
      case ":load", ":l": return .path
      case ":help", ":h", ":?": return .helpName
      default:
        let rest = trimmed.dropFirst(command.count)
        return expressionContext(String(rest))
      }
    }
    return expressionContext(pending.isEmpty ? prefix : pending + "\n" + prefix)
  }

  /// The context in an expression: finds the innermost open bracket outside strings and
  /// comments; keyword arguments fit right after its `(` or a `,`.
  static func expressionContext(_ text: String) -> Context {
    // Each open bracket with, for `(`, the name called and the keywords written so far.
    var stack: [(bracket: String, callee: String?, keywords: Set<String>)] = []
    var previous: String?
    for token in tokens(text) {
      switch token {
      case "(":
        let callee = previous.flatMap { isIdentifier($0) ? $0 : nil }
        stack.append(("(", callee, []))
      case "[", "{": stack.append((token, nil, []))
      case ")", "]", "}": _ = stack.popLast()
      case "=":
        if let name = previous, isIdentifier(name), var top = stack.popLast() {
          top.keywords.insert(name)
          stack.append(top)
        }
      default: break
      }
      previous = token
    }
    guard let top = stack.last, top.bracket == "(", let callee = top.callee, previous == "(" || previous == ","
    else { return .name(callee: nil, usedKeywords: []) }
    return .name(callee: callee, usedKeywords: top.keywords)
  }

  /// A rough tokenization for completion: identifiers and numbers, `"…"` for any string,
  /// operators (`==`, `<=`, `=>` kept whole) and punctuation; comments and spaces dropped.
  static func tokens(_ text: String) -> [String] {
    var result: [String] = []
    let chars = Array(text)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "#" {
        while i < chars.count, chars[i] != "\n" { i += 1 }
      } else if c == "\"" || c == "'" {
        i += 1
        while i < chars.count, chars[i] != c {
          i += chars[i] == "\\" ? 2 : 1
        }
        i += 1
        result.append("\"…\"")
      } else if c.isLetter || c.isNumber || c == "_" {
        var word = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
          word.append(chars[i])
          i += 1
        }
        result.append(word)
      } else if c.isWhitespace {
        i += 1
      } else {
        let pair = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
        if ["==", "!=", "<=", ">=", "=>", "&&", "||"].contains(pair) {
          result.append(pair)
          i += 2
        } else {
          result.append(String(c))
          i += 1
        }
      }
    }
    return result
  }

  /// Whether a token is a name (not a number, keyword, string or symbol).
  static func isIdentifier(_ token: String) -> Bool {
    guard let first = token.first, first.isLetter || first == "_" else { return false }
    return !keywords.contains(token)
  }

  /// The interpreter whose names and functions are offered.
  let interpreter: Interpreter

  /// Whether file paths are completed: not when the interpreter may not touch files.
  var offersPaths: Bool { interpreter.options.allowFileIO }

  /// Candidates for `word` in `context` (paths are left to readline's filename completion).
  func candidates(for word: String, in context: Context) -> [String] {
    switch context {
    case .path: return []
    case .command:
      return Self.commands.filter { $0.hasPrefix(word) }
    case .helpName:
      let names = interpreter.functions().map(\.name) + Self.commands
      return unique(names.filter { $0.hasPrefix(word) })
    case .name(let callee, let used):
      if let callee, let f = interpreter.function(named: callee) {
        let keywords = f.parameters.filter { !$0.isVariadic && !used.contains($0.name) }.map { $0.name + "=" }
        let matching = keywords.filter { $0.hasPrefix(word) }
        // A prefix that fits a keyword argument means that argument, not a global name.
        if !matching.isEmpty { return word.isEmpty ? matching + names(prefix: word) : matching }
      }
      return names(prefix: word)
    }
  }

  /// Keywords, functions, constants and user bindings starting with `prefix` (private
  /// `_names` only when the prefix asks for them).
  private func names(prefix: String) -> [String] {
    let all = Self.keywords + interpreter.functions().map(\.name) + interpreter.constantNames
      + interpreter.bindings().map(\.name)
    return unique(all.filter { $0.hasPrefix(prefix) && (prefix.hasPrefix("_") || !$0.hasPrefix("_")) })
  }

  /// Sorted, without duplicates.
  private func unique(_ names: [String]) -> [String] { Array(Set(names)).sorted() }
}
