/// The syntax tree of LossLang: statements and expressions, each with its source span.
///
/// The parser produces it; the interpreter walks it. Nodes are immutable values.

/// A binary operator, in source spelling.
enum BinaryOperator: String, Sendable {
  case or = "||", and = "&&"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
  case add = "+", subtract = "-"
  case multiply = "*", divide = "/", matmul = "@", modulo = "%"
  case power = "^"
}

/// The target of an assignment or loop variable: a name, or a list pattern whose items
/// take the value's items in order (`[a, b] = …`, `a, [b, c] = …`, `for x, y in …`).
struct Pattern: Sendable {
  /// The kinds of pattern.
  indirect enum Kind: Sendable {
    /// Binds the whole value.
    case name(Symbol)
    /// Splits a list (or a tensor along its first axis) into exactly this many items.
    case list([Pattern])
  }

  let kind: Kind
  let span: SourceSpan
}

/// A prefix operator.
enum UnaryOperator: String, Sendable {
  case negate = "-"
  case not = "!"
}

/// A function parameter: a name and an optional default value expression.
struct Parameter: Sendable {
  let name: String
  let defaultValue: Expr?
  let span: SourceSpan
}

/// A call argument: positional when `label` is nil, keyword otherwise.
struct Argument: Sendable {
  let label: String?
  let value: Expr
  let span: SourceSpan
}

/// One `key: value` entry of a dict literal.
struct DictEntry: Sendable {
  let key: Expr
  let value: Expr
}

/// A piece of an f-string: literal text, or a replacement field `{expr:spec}`.
enum FormatPart: Sendable {
  /// Text with escapes and `{{ }}` already decoded.
  case text(String)
  /// An expression and its format spec (Python's mini-language; empty for none).
  case field(Expr, spec: String)
}

/// One item inside `x[...]`.
indirect enum IndexItem: Sendable {
  /// An integer, or an integer tensor (advanced indexing).
  case index(Expr)
  /// `start:stop:step`, each part optional.
  case slice(start: Expr?, stop: Expr?, step: Expr?)
  /// `...`
  case ellipsis
}

/// An expression node.
struct Expr: Sendable {
  /// The kinds of expression.
  indirect enum Kind: Sendable {
    /// A number literal (integers and floats alike).
    case number(Double)
    /// A string literal, escapes already decoded.
    case string(String)
    /// `true` / `false`.
    case bool(Bool)
    /// `none`.
    case none
    /// A name reference.
    case name(Symbol)
    /// `[a, b, ...]`: a tensor literal when its items are numbers/tensors of one shape, else a list.
    case list([Expr])
    /// `f"text {expr:spec} …"`: the parts, concatenated at run time.
    case format([FormatPart])
    /// `{"key": value, …}`: a dict literal (`{}` is the empty dict).
    case dict([DictEntry])
    /// `-x`, `!x`.
    case unary(UnaryOperator, Expr)
    /// `a op b`.
    case binary(BinaryOperator, Expr, Expr)
    /// `f(args)`; a method call `x.f(args)` is a call whose callee is `.member(x, "f")`,
    /// which the interpreter turns into `f(x, args)`.
    case call(callee: Expr, arguments: [Argument])
    /// `x[items]`.
    case index(Expr, [IndexItem])
    /// `x.name` without a call (`x.T`, `x.shape`): sugar for `name(x)`, with `T` meaning `transpose`.
    case member(Expr, String)
    /// `fn(params) => body`.
    case lambda(parameters: [Parameter], body: Expr)
    /// `if cond { ... } else { ... }`; `else` optional (then the value is `none` when false).
    case conditional(condition: Expr, then: Expr, otherwise: Expr?)
    /// `{ statements }`: evaluates each statement; its value is the last expression statement's.
    case block([Stmt])
    /// `lo..<hi` (exclusive) or `lo...hi` (inclusive).
    case range(lower: Expr, upper: Expr, inclusive: Bool)
  }

  let kind: Kind
  let span: SourceSpan
}

/// What `break` and `continue` do to the innermost loop.
enum LoopJump: String, Sendable {
  case exit = "break"
  case next = "continue"
}

/// A statement node.
struct Stmt: Sendable {
  /// The kinds of statement.
  indirect enum Kind: Sendable {
    /// An expression evaluated for its value (the last one is a block's value).
    case expression(Expr)
    /// `name = value`; `name += value` (and `-= *= /= ^=`) is parsed as `name = name + value`.
    case assign(name: Symbol, value: Expr)
    /// `[a, b] = value` or `a, b = value`: the pattern is always a list pattern.
    case destructure(pattern: Pattern, value: Expr)
    /// `def name(params) = body` or `def name(params) { ... }`; `doc` holds the `##` lines above it.
    case function(name: String, parameters: [Parameter], body: Expr, doc: String)
    /// `for pattern in iterable { body }`.
    case forLoop(variable: Pattern, iterable: Expr, body: Expr)
    /// `while condition { body }`.
    case whileLoop(condition: Expr, body: Expr)
    /// `break` or `continue`: the parser admits them only as statements of a loop body, or of an
    /// `if` statement there, never inside an expression or a nested function.
    case jump(LoopJump)
    /// `import "path"`.
    case importFile(String)
  }

  let kind: Kind
  let span: SourceSpan
}
