/// Prints syntax trees back as LossLang source that parses to the same tree.
///
/// Parentheses are added only where precedence or associativity needs them; blocks
/// go on separate lines, indented two spaces; doc comments are printed above their
/// `def`. Spans are not preserved, so only the structure round-trips:
/// `Parser.parse(format(Parser.parse(src)))` renders like `Parser.parse(src)` with
/// ``ASTPrinter``. Sugar prints as what it stands for: `x += 1` as `x = x + 1`, `a ** b` as
/// `a ^ b`, `a, b = v` as `[a, b] = v`.
///
/// ```
/// (+ (* a b) (- c))       a * b + -c
/// (* (+ a b) c)           (a + b) * c
/// (^ (- x) 2)             (-x) ^ 2
/// (call (fn (x) x) 1)     (fn(x) => x)(1)
/// ```
enum ASTFormatter {
  /// How tightly an expression binds, loosest first; an operand binding looser than its
  /// position allows is parenthesized.
  ///
  /// Lambdas come first because their body extends as far as it can; `if` and blocks
  /// share their level so that as operands they read clearly in parentheses. Postfix
  /// forms (calls, indexing, members) and primaries come last.
  private enum Level: Int, Comparable {
    case lambda, range, or, and, comparison, term, factor, unary, power, postfix

    /// The level of a binary operator, from the parser's precedence table.
    init(_ op: BinaryOperator) {
      let precedence = TokenKind(rawValue: op.rawValue).flatMap { Parser.infix($0)?.precedence }
      self = precedence.flatMap { Level(rawValue: $0.rawValue + 1) } ?? .postfix
    }

    /// Orders levels from loosest to tightest.
    static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// The source text of a list of statements, one per line.
  static func format(_ statements: [Stmt]) -> String {
    statements.map { format($0, indent: "") }.joined(separator: "\n") + "\n"
  }

  /// The source text of a statement at `indent` (doc comment lines included).
  private static func format(_ statement: Stmt, indent: String) -> String {
    switch statement.kind {
    case .expression(let expr):
      return indent + format(expr, indent: indent)
    case .assign(let name, let value):
      return indent + "\(name) = " + format(value, indent: indent)
    case .function(let name, let parameters, let body, let doc):
      let docLines = doc.isEmpty ? "" : doc.split(separator: "\n", omittingEmptySubsequences: false)
        .map { indent + ($0.isEmpty ? "##" : "## " + $0) + "\n" }.joined()
      let head = indent + "def \(name)(\(format(parameters, indent: indent)))"
      guard case .block = body.kind else { return docLines + head + " = " + format(body, indent: indent) }
      return docLines + head + " " + format(body, indent: indent)
    case .destructure(let pattern, let value):
      return indent + format(pattern) + " = " + format(value, indent: indent)
    case .forLoop(let variable, let iterable, let body):
      return indent + "for \(format(variable)) in \(format(iterable, indent: indent)) \(format(body, indent: indent))"
    case .whileLoop(let condition, let body):
      return indent + "while \(format(condition, indent: indent)) \(format(body, indent: indent))"
    case .jump(let jump):
      return indent + jump.rawValue
    case .importFile(let path):
      return indent + "import \(ASTPrinter.quote(path))"
    }
  }

  /// The source text of an expression whose statement starts at `indent`.
  private static func format(_ expr: Expr, indent: String) -> String {
    switch expr.kind {
    case .number(let value): return value.isInfinite ? "1e999" : ASTPrinter.number(value)
    case .string(let value): return ASTPrinter.quote(value)
    case .bool(let value): return value ? "true" : "false"
    case .none: return "none"
    case .name(let name): return name.text
    case .list(let items):
      return "[" + items.map { format($0, indent: indent) }.joined(separator: ", ") + "]"
    case .format(let parts):
      return "f\"" + parts.map { format($0, indent: indent) }.joined() + "\""
    case .dict(let entries):
      return "{" + entries.map { format($0.key, indent: indent) + ": " + format($0.value, indent: indent) }
        .joined(separator: ", ") + "}"
    case .unary(let op, let value):
      return op.rawValue + operand(value, atLeast: .unary, indent: indent)
    case .binary(let op, let left, let right):
      let level = Level(op)
      let isPower = op == .power
      let leftText = operand(left, atLeast: isPower ? .postfix : level, indent: indent)
      let rightLevel = isPower ? Level.unary : Level(rawValue: level.rawValue + 1) ?? .postfix
      return leftText + " \(op.rawValue) " + operand(right, atLeast: rightLevel, indent: indent)
    case .call(let callee, let arguments):
      let items = arguments.map { argument in
        (argument.label.map { "\($0)=" } ?? "") + format(argument.value, indent: indent)
      }
      return operand(callee, atLeast: .postfix, indent: indent) + "(" + items.joined(separator: ", ") + ")"
    case .index(let base, let items):
      let parts = items.map { format($0, indent: indent) }
      return operand(base, atLeast: .postfix, indent: indent) + "[" + parts.joined(separator: ", ") + "]"
    case .member(let base, let name):
      return operand(base, atLeast: .postfix, indent: indent) + ".\(name)"
    case .lambda(let parameters, let body):
      return "fn(\(format(parameters, indent: indent))) => " + format(body, indent: indent)
    case .conditional(let condition, let then, let otherwise):
      let head = "if \(format(condition, indent: indent)) \(format(then, indent: indent))"
      return head + (otherwise.map { " else " + format($0, indent: indent) } ?? "")
    case .block(let statements):
      guard !statements.isEmpty else { return "{}" }
      let lines = statements.map { format($0, indent: indent + "  ") }
      return "{\n" + lines.joined(separator: "\n") + "\n" + indent + "}"
    case .range(let lower, let upper, let inclusive):
      let lowerText = operand(lower, atLeast: .or, indent: indent)
      return lowerText + (inclusive ? "..." : "..<") + operand(upper, atLeast: .or, indent: indent)
    }
  }

  /// `expr` as an operand that must bind at least as tightly as `minimum`, parenthesized if not.
  private static func operand(_ expr: Expr, atLeast minimum: Level, indent: String) -> String {
    let text = format(expr, indent: indent)
    return level(of: expr) < minimum ? "(" + text + ")" : text
  }

  /// How tightly `expr` binds as an operand.
  private static func level(of expr: Expr) -> Level {
    switch expr.kind {
    case .lambda, .conditional, .block: .lambda
    case .range: .range
    case .binary(let op, _, _): Level(op)
    case .unary: .unary
    default: .postfix
    }
  }

  /// A pattern: the name, or `[a, [b, c]]`.
  private static func format(_ pattern: Pattern) -> String {
    switch pattern.kind {
    case .name(let name): name.text
    case .list(let items): "[" + items.map { format($0) }.joined(separator: ", ") + "]"
    }
  }

  /// An index item: an expression, `start:stop:step` without the missing parts, or `...`.
  private static func format(_ item: IndexItem, indent: String) -> String {
    switch item {
    case .index(let expr):
      return format(expr, indent: indent)
    case .slice(let start, let stop, let step):
      let text = (start.map { format($0, indent: indent) } ?? "") + ":" + (stop.map { format($0, indent: indent) } ?? "")
      return text + (step.map { ":" + format($0, indent: indent) } ?? "")
    case .ellipsis:
      return "..."
    }
  }

  /// A piece of an f-string: text with quotes, escapes and braces written out, or a field.
  private static func format(_ part: FormatPart, indent: String) -> String {
    switch part {
    case .text(let text):
      return String(ASTPrinter.quote(text).dropFirst().dropLast())
        .replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
    case .field(let expr, let spec):
      let text = format(expr, indent: indent)
      let padded = text.hasPrefix("{") ? " \(text) " : text
      return "{" + padded + (spec.isEmpty ? "" : ":" + spec) + "}"
    }
  }

  /// A parameter list without its parentheses: `a, b=default`.
  private static func format(_ parameters: [Parameter], indent: String) -> String {
    parameters.map { parameter in
      parameter.name + (parameter.defaultValue.map { "=" + format($0, indent: indent) } ?? "")
    }.joined(separator: ", ")
  }
}
