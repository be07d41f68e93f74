import Foundation

/// The interactive-session API the REPL is built on: incomplete input, interrupts,
/// evaluation that remembers `_`, `help` text and value summaries without computing.
extension Interpreter {
  /// Whether `text` stops in the middle of a statement, so a REPL should read another line.
  ///
  /// True for open brackets or braces, a trailing binary operator, `=` or `,`, or an
  /// `if`, `for` or `def` still waiting for its block: `Interpreter.isIncomplete("f(1,")`.
  public static func isIncomplete(_ text: String) -> Bool { Parser.isIncomplete(text) }

  /// A thread-safe handle that stops this interpreter's running evaluation.
  public var interruptHandle: InterruptHandle { evaluator.interruption }

  /// Asks the evaluation running on another thread to stop with the runtime error `interrupted`.
  ///
  /// Checked on every call, loop iteration and kernel operation; cleared when the next
  /// top-level evaluation starts. See ``InterruptHandle``.
  public func interrupt() { evaluator.interruption.interrupt() }

  /// Runs one REPL input in the persistent environment; its value, which `_` then holds.
  ///
  /// Like ``run(_:path:)``, except that when the input ends with an expression whose
  /// value is not `none`, the global `_` is bound to that value (graph included, so
  /// `grad(_, x)` works).
  @discardableResult
  public func evaluateInteractive(_ source: String, path: String = "<repl>") throws -> Value {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let statements = try Parser.parse(file)
      let value = try evaluator.run(statements, in: evaluator.globals)
      let exported = try evaluator.export(value)
      if case .expression? = statements.last?.kind {
        if case .none = value {} else { evaluator.globals.define("_", value) }
      }
      return exported
    }
  }

  /// The width in columns of the terminal ``output`` reaches
  /// (``InterpreterOptions/outputColumns``); a REPL updates it when the terminal is resized.
  public var outputColumns: Int? {
    get { evaluator.outputColumns }
    set { evaluator.outputColumns = newValue }
  }

  /// The current figure drawn as `show()` draws it, when a builtin changed it since the last
  /// call and something is drawn on it; nil otherwise. Unlike `show()` it leaves the figure
  /// current, so later inputs add to it: the REPL shows the figure after each input that drew.
  public func takeChangedFigure() throws -> String? {
    try exclusive.run { [evaluator] in
      guard evaluator.currentFigure.takeChange(), !evaluator.currentFigure.figure.isBlank else { return nil }
      return evaluator.text(of: evaluator.currentFigure.figure)
    }
  }

  /// The type, shape and dtype of an expression's value, computing as little as possible.
  ///
  /// The expression is traced, not materialized (`:type` in the REPL).
  public func summary(of source: String, path: String = "<repl>") throws -> ValueSummary {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let statements = try Parser.parse(file)
      return ValueSummary(try evaluator.run(statements, in: evaluator.globals))
    }
  }

  /// The text `help(name)` prints for the function `name` (signature, then its doc), or nil.
  public func helpText(for name: String) -> String? {
    guard case .function(let f)? = try? evaluator.lookup(name, in: evaluator.globals) else { return nil }
    return Builtins.helpText(f)
  }
}

/// What a value is without computing it: kind, and for tensors shape and dtype.
public struct ValueSummary: Sendable, CustomStringConvertible {
  /// The kinds of LossLang value.
  public enum Kind: String, Sendable {
    case tensor, number, string, bool, none, list, dict, function, optimizer
  }

  /// The kind.
  public let kind: Kind
  /// A tensor's shape (`[]` for 0-d and for non-tensors).
  public let shape: [Int]
  /// A tensor's dtype; nil for non-tensors and for plain numbers, which adopt the dtype they meet.
  public let dtype: DType?
  /// The number of items of a list or entries of a dict.
  public let itemCount: Int?
  /// A function's signature.
  public let signature: String?

  init(_ value: RuntimeValue) {
    var shape: [Int] = []
    var dtype: DType?
    var items: Int?
    var signature: String?
    switch value {
    case .tensor(let n) where n.isWeak && n.shape.isEmpty:
      kind = .number
    case .tensor(let n):
      kind = .tensor
      shape = n.shape
      dtype = n.dtype
    case .string: kind = .string
    case .bool: kind = .bool
    case .none: kind = .none
    case .list(let xs):
      kind = .list
      items = xs.count
    case .dict(let d):
      kind = .dict
      items = d.count
    case .function(let f):
      kind = .function
      signature = f.signature
    case .optimizer:
      kind = .optimizer
    }
    self.shape = shape
    self.dtype = dtype
    self.itemCount = items
    self.signature = signature
  }

  /// `tensor float32 (2, 3)`, `number`, `list of 3 items`, `function mse(a, b)`, …
  public var description: String {
    switch kind {
    case .tensor: "tensor \(dtype?.rawValue ?? "") \(TensorFormatter.pythonTuple(shape))"
    case .number: "number (adopts the dtype of the tensor it meets)"
    case .list: "list of \(itemCount ?? 0) item\(itemCount == 1 ? "" : "s")"
    case .dict: "dict of \(itemCount ?? 0) entr\(itemCount == 1 ? "y" : "ies")"
    case .function: "function \(signature ?? "")"
    default: kind.rawValue
    }
  }
}
