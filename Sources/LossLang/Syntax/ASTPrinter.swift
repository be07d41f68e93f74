/// Renders syntax trees as S-expressions, for tests and debugging.
///
/// Operators print in prefix form with their source spelling; other forms use
/// a keyword head, and `_` marks a missing slice part:
///
/// ```
/// 1 + 2 * 3             (+ 1 (* 2 3))
/// f(1, gamma=2)         (call f 1 (kw gamma 2))
/// x.sum(axis=1)         (call (. x sum) (kw axis 1))
/// x[:, 1:3, ...]        (index x (slice _ _ _) (slice 1 3 _) ...)
/// fn(a, b=1) => a + b   (fn (a (= b 1)) (+ a b))
/// if c { 1 } else { 2 } (if c (block 1) (block 2))
/// 0..<n                 (..< 0 n)
/// y = [1, "s", none]    (= y (list 1 "s" none))
/// a, [b, c] = v         (= [a [b c]] v)
/// x += 1                (= x (+ x 1))
/// while c { break }     (while c (block break))
/// ```
enum ASTPrinter {
  /// The S-expression for a list of statements, one per line.
  static func render(_ statements: [Stmt]) -> String {
    statements.map { render($0) }.joined(separator: "\n")
  }

  /// The S-expression for a statement.
  static func render(_ statement: Stmt) -> String {
    switch statement.kind {
    case .expression(let expr):
      render(expr)
    case .assign(let name, let value):
      "(= \(name) \(render(value)))"
    case .function(let name, let parameters, let body, _):
      "(def \(name) \(render(parameters)) \(render(body)))"
    case .destructure(let pattern, let value):
      "(= \(render(pattern)) \(render(value)))"
    case .forLoop(let variable, let iterable, let body):
      "(for \(render(variable)) \(render(iterable)) \(render(body)))"
    case .whileLoop(let condition, let body):
      "(while \(render(condition)) \(render(body)))"
    case .jump(let jump):
      jump.rawValue
    case .importFile(let path):
      "(import \(quote(path)))"
    }
  }

  /// The S-expression for an expression.
  static func render(_ expr: Expr) -> String {
    switch expr.kind {
    case .number(let value): number(value)
    case .string(let value): quote(value)
    case .bool(let value): value ? "true" : "false"
    case .none: "none"
    case .name(let name): name.text
    case .list(let items): list("list", items.map { render($0) })
    case .format(let parts): list("f", parts.map { render($0) })
    case .dict(let entries): list("dict", entries.map { "(: \(render($0.key)) \(render($0.value)))" })
    case .unary(let op, let operand): "(\(op.rawValue) \(render(operand)))"
    case .binary(let op, let left, let right): "(\(op.rawValue) \(render(left)) \(render(right)))"
    case .call(let callee, let arguments): list("call", [render(callee)] + arguments.map { render($0) })
    case .index(let base, let items): list("index", [render(base)] + items.map { render($0) })
    case .member(let base, let name): "(. \(render(base)) \(name))"
    case .lambda(let parameters, let body): "(fn \(render(parameters)) \(render(body)))"
    case .conditional(let condition, let then, let otherwise):
      list("if", [render(condition), render(then)] + (otherwise.map { [render($0)] } ?? []))
    case .block(let statements): list("block", statements.map { render($0) })
    case .range(let lower, let upper, let inclusive):
      "(\(inclusive ? "..." : "..<") \(render(lower)) \(render(upper)))"
    }
  }

  /// A pattern: the name, or its items in brackets: `[a [b c]]`.
  static func render(_ pattern: Pattern) -> String {
    switch pattern.kind {
    case .name(let name): name.text
    case .list(let items): "[" + items.map { render($0) }.joined(separator: " ") + "]"
    }
  }

  /// `value` for a positional argument, `(kw label value)` for a keyword one.
  private static func render(_ argument: Argument) -> String {
    guard let label = argument.label else { return render(argument.value) }
    return "(kw \(label) \(render(argument.value)))"
  }

  /// An f-string piece: its text quoted, or `(field expr "spec")`.
  private static func render(_ part: FormatPart) -> String {
    switch part {
    case .text(let text): quote(text)
    case .field(let expr, let spec): "(field \(render(expr)) \(quote(spec)))"
    }
  }

  /// An index item: the expression, `(slice start stop step)` or `...`.
  private static func render(_ item: IndexItem) -> String {
    switch item {
    case .index(let expr): render(expr)
    case .slice(let start, let stop, let step):
      list("slice", [start, stop, step].map { $0.map { render($0) } ?? "_" })
    case .ellipsis: "..."
    }
  }

  /// A parameter list: `(a (= b default))`.
  private static func render(_ parameters: [Parameter]) -> String {
    let items = parameters.map { parameter in
      parameter.defaultValue.map { "(= \(parameter.name) \(render($0)))" } ?? parameter.name
    }
    return "(" + items.joined(separator: " ") + ")"
  }

  /// `(head item item …)`.
  private static func list(_ head: String, _ items: [String]) -> String {
    "(" + ([head] + items).joined(separator: " ") + ")"
  }

  /// A number without a trailing `.0` when it is a whole number of moderate size.
  static func number(_ value: Double) -> String {
    abs(value) < 1e15 && value == Double(Int64(value)) ? String(Int64(value)) : "\(value)"
  }

  /// A string in double quotes with `\\ \" \n \t` escaped.
  static func quote(_ text: String) -> String {
    var out = "\""
    for character in text {
      switch character {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.append(character)
      }
    }
    return out + "\""
  }
}
