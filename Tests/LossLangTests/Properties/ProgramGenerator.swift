/// Random syntactically valid LossLang programs (not necessarily meaningful to run).
///
/// Every compound operand is written in parentheses, so the text always parses whatever
/// the precedences are; the parser drops the parentheses, which leaves trees with every
/// kind of nesting (a negation under `^`, a lambda as an operand, a range inside a call)
/// for ``ASTFormatter`` to print back. Each seed gives one fixed program.
struct ProgramGenerator {
  private var random: SeededGenerator
  /// Whether the statement being generated may be `break` or `continue` (directly in a loop body).
  private var jumpsAllowed = false

  /// A program of a few statements, fixed by `seed`.
  static func make(seed: UInt64) -> String {
    var generator = ProgramGenerator(random: SeededGenerator(seed: seed))
    let count = Int.random(in: 1...6, using: &generator.random)
    return (0..<count).map { _ in generator.statement(depth: 3, indent: "") }.joined(separator: "\n") + "\n"
  }

  private static let names = ["x", "y", "loss", "_tmp", "w2", "T", "logits"]
  private static let numbers = ["0", "1", "42", "0.5", "3.", ".25", "1e-5", "2.5E+10", "1_000", "1e999", "0.1"]
  private static let strings = [#""""#, #""mean""#, #""a\"b\\c\n\t""#, #"'it\'s'"#, ##""# not a comment""##, #""naïve ✓""#]
  private static let operators = ["||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "@", "%", "^", "**"]

  // MARK: - Statements

  /// One statement at `indent` (a `def` may carry `##` doc lines).
  private mutating func statement(depth: Int, indent: String) -> String {
    let allowsJumps = jumpsAllowed
    jumpsAllowed = false
    defer { jumpsAllowed = allowsJumps }
    switch Int.random(in: 0..<(allowsJumps ? 15 : 13), using: &random) {
    case 0, 1, 2:
      return indent + "\(random.pick(Self.names)) = \(expression(depth: depth, indent: indent))"
    case 3:
      let doc = random.chance(0.5) ? indent + "## Computes things.\n" + indent + "##\n" + indent + "##   indented\n" : ""
      let head = indent + "def f\(Int.random(in: 0..<3, using: &random))(\(parameters(depth: depth, indent: indent)))"
      if random.chance(0.5) { return doc + head + " = " + expression(depth: depth, indent: indent) }
      return doc + head + " " + block(depth: depth, indent: indent)
    case 4:
      let variable = random.pick(["i", "a, b", "[a, [b, c]]"])
      return indent + "for \(variable) in \(operand(depth: depth, indent: indent)) \(loopBody(depth: depth, indent: indent))"
    case 5:
      return indent + "import \(random.pick([#""classification""#, #""../lib/a b.loss""#]))"
    case 10:
      let op = random.pick(["+=", "-=", "*=", "/=", "^=", "**="])
      return indent + "\(random.pick(Self.names)) \(op) \(expression(depth: depth, indent: indent))"
    case 11:
      let target = random.pick(["a, b", "[a, b]", "[a, [b, c]]", "a, [b, c]", "[a]"])
      return indent + "\(target) = \(expression(depth: depth, indent: indent))"
    case 12:
      return indent + "while \(operand(depth: depth, indent: indent)) \(loopBody(depth: depth, indent: indent))"
    case 13:
      return indent + random.pick(["break", "continue"])
    case 14:
      return indent + "if \(operand(depth: depth, indent: indent)) { \(random.pick(["break", "continue"])) }"
    default:
      return indent + expression(depth: depth, indent: indent)
    }
  }

  /// A loop's block, whose statements may be `break` or `continue`.
  private mutating func loopBody(depth: Int, indent: String) -> String {
    jumpsAllowed = true
    defer { jumpsAllowed = false }
    return block(depth: depth, indent: indent)
  }

  /// `{ … }` over several lines, on one line with `;`, or empty.
  private mutating func block(depth: Int, indent: String) -> String {
    let inner = indent + "    "
    switch Int.random(in: 0..<4, using: &random) {
    case 0: return "{}"
    case 1:
      let items = (0..<Int.random(in: 1...3, using: &random)).map { _ in statement(depth: depth - 1, indent: "") }
      return "{ " + items.joined(separator: "; ") + " }"
    default:
      let items = (0..<Int.random(in: 1...3, using: &random)).map { _ in statement(depth: depth - 1, indent: inner) }
      return "{\n" + items.joined(separator: "\n") + "\n" + indent + "}"
    }
  }

  /// A parameter list: required names, then names with defaults.
  private mutating func parameters(depth: Int, indent: String) -> String {
    let count = Int.random(in: 0...3, using: &random)
    let firstDefault = Int.random(in: 0...count, using: &random)
    return (0..<count).map { i in
      i < firstDefault ? "p\(i)" : "p\(i)=\(operand(depth: depth - 1, indent: indent))"
    }.joined(separator: ", ")
  }

  // MARK: - Expressions

  /// An expression of nesting `depth` at most.
  private mutating func expression(depth: Int, indent: String) -> String {
    guard depth > 0, random.chance(0.85) else { return leaf() }
    let d = depth - 1
    switch Int.random(in: 0..<13, using: &random) {
    case 0, 1:
      return operand(depth: d, indent: indent) + " \(random.pick(Self.operators)) " + operand(depth: d, indent: indent)
    case 2:
      return random.pick(["-", "!"]) + operand(depth: d, indent: indent)
    case 3:
      return operand(depth: d, indent: indent) + random.pick(["..<", "..."]) + operand(depth: d, indent: indent)
    case 4:
      return operand(depth: d, indent: indent) + "(" + arguments(depth: d, indent: indent) + ")"
    case 5:
      return operand(depth: d, indent: indent) + "[" + indexItems(depth: d, indent: indent) + "]"
    case 6:
      return operand(depth: d, indent: indent) + "." + random.pick(["sum", "T", "shape"])
        + (random.chance(0.5) ? "(" + arguments(depth: d, indent: indent) + ")" : "")
    case 7:
      let items = (0..<Int.random(in: 0...3, using: &random)).map { _ in expression(depth: d, indent: indent) }
      return "[" + items.joined(separator: ", ") + (random.chance(0.2) && !items.isEmpty ? ",]" : "]")
    case 8:
      return "fn(\(parameters(depth: d, indent: indent))) => " + expression(depth: d, indent: indent)
    case 9:
      return conditional(depth: d, indent: indent)
    case 10:
      return block(depth: d, indent: indent)
    default:
      return "(" + expression(depth: d, indent: indent) + ")"
    }
  }

  /// An expression in parentheses unless it is a leaf.
  private mutating func operand(depth: Int, indent: String) -> String {
    let text = expression(depth: depth, indent: indent)
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? text : "(" + text + ")"
  }

  /// A number, string, Bool, `none` or name.
  private mutating func leaf() -> String {
    switch Int.random(in: 0..<5, using: &random) {
    case 0: return random.pick(Self.numbers)
    case 1: return random.pick(Self.strings)
    case 2: return random.pick(["true", "false", "none"])
    default: return random.pick(Self.names)
    }
  }

  /// `if c { … }` with an optional `else { … }` or `else if …`.
  private mutating func conditional(depth: Int, indent: String) -> String {
    var text = "if \(operand(depth: depth, indent: indent)) \(block(depth: depth, indent: indent))"
    switch Int.random(in: 0..<3, using: &random) {
    case 0: text += " else " + block(depth: depth, indent: indent)
    case 1: text += " else " + conditional(depth: depth - 1, indent: indent)
    default: break
    }
    return text
  }

  /// Call arguments: positional ones, then keyword ones.
  private mutating func arguments(depth: Int, indent: String) -> String {
    let positional = (0..<Int.random(in: 0...2, using: &random)).map { _ in expression(depth: depth, indent: indent) }
    let keywords = (0..<Int.random(in: 0...2, using: &random)).map { i in
      "k\(i)=" + expression(depth: depth, indent: indent)
    }
    return (positional + keywords).joined(separator: ", ")
  }

  /// Index items: expressions, slices with any parts missing, `...`.
  private mutating func indexItems(depth: Int, indent: String) -> String {
    var items: [String] = []
    for _ in 0..<Int.random(in: 1...3, using: &random) {
      switch Int.random(in: 0..<5, using: &random) {
      case 0: items.append("...")
      case 1: items.append(slicePart(depth: depth, indent: indent) + ":" + slicePart(depth: depth, indent: indent))
      case 2:
        let start = slicePart(depth: depth, indent: indent), stop = slicePart(depth: depth, indent: indent)
        items.append(start + ":" + stop + ":" + slicePart(depth: depth, indent: indent))
      default: items.append(expression(depth: depth, indent: indent))
      }
    }
    return items.joined(separator: ", ")
  }

  /// A slice bound, or nothing.
  private mutating func slicePart(depth: Int, indent: String) -> String {
    random.chance(0.5) ? operand(depth: depth, indent: indent) : ""
  }
}
