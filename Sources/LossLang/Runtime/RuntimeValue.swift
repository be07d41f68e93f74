/// A runtime value of the interpreter: a traced tensor, or one of the small non-tensor kinds.
enum RuntimeValue {
  /// A tensor: a node of the traced graph (literal numbers are weak 0-d tensors).
  case tensor(Node)
  /// A string.
  case string(String)
  /// `true` / `false`.
  case bool(Bool)
  /// `none`.
  case none
  /// A list whose items are not all tensors of one shape.
  case list([RuntimeValue])
  /// A dict with string keys, in insertion order.
  case dict(OrderedDict<RuntimeValue>)
  /// A named function, lambda or builtin.
  case function(Function)
  /// An optimizer with its state (`adam(lr=1e-3)`).
  case optimizer(Optimizer)

  /// The kind's name, for error messages ("expected a tensor, got string").
  var typeName: String {
    switch self {
    case .tensor(let n): n.shape.isEmpty ? "number" : "tensor"
    case .string: "string"
    case .bool: "bool"
    case .none: "none"
    case .list: "list"
    case .dict: "dict"
    case .function: "function"
    case .optimizer: "optimizer"
    }
  }
}

/// A callable value: a builtin implemented in Swift, or a `def`/lambda with its closure.
final class Function {
  /// How the function runs.
  enum Body {
    /// Native code receiving the bound arguments.
    case builtin((inout Arguments) throws -> RuntimeValue)
    /// A LossLang body evaluated in a new scope whose parent is `closure`.
    case user(body: Expr, closure: Environment)
  }

  /// The name shown in errors and help (`<lambda>` for lambdas).
  let name: String
  /// The parameters, in order.
  let parameters: [ParameterSpec]
  /// The body.
  let body: Body
  /// Documentation shown by `help`.
  let doc: String

  /// The position of the variadic parameter, if there is one.
  let variadicIndex: Int?
  /// How many parameters take positional arguments: those before a variadic or a
  /// keyword-only one.
  let positionalCount: Int
  /// The parameters' names, in order: the names a call's scope binds.
  let parameterNames: [Symbol]
  /// Whether no two parameters share a name (a call's scope can take `parameterNames` as is).
  private let hasDistinctNames: Bool

  init(name: String, parameters: [ParameterSpec], body: Body, doc: String = "") {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.doc = doc
    variadicIndex = parameters.firstIndex { if case .variadic = $0.defaultValue { true } else { false } }
    positionalCount = variadicIndex ?? parameters.firstIndex(where: \.isKeywordOnly) ?? parameters.count
    parameterNames = parameters.map { Symbol($0.name) }
    hasDistinctNames = Set(parameterNames).count == parameterNames.count
  }

  /// A new scope under `parent` binding each parameter to its value in `arguments`.
  func scope(binding arguments: [RuntimeValue], parent: Environment) -> Environment {
    if hasDistinctNames, arguments.count == parameterNames.count {
      return Environment(parent: parent, names: parameterNames, values: arguments)
    }
    let scope = Environment(parent: parent)
    for (name, v) in zip(parameterNames, arguments) { scope.define(name, v) }
    return scope
  }

  /// `name(a, b=2, rest...)` or `name(a, *, dtype="float32")` as written in help and error messages.
  var signature: String {
    var items = parameters.map(\.description)
    if variadicIndex == nil, positionalCount < items.count { items.insert("*", at: positionalCount) }
    return "\(name)(" + items.joined(separator: ", ") + ")"
  }
}

/// One parameter of a function: its name, and how a missing argument is filled.
struct ParameterSpec: CustomStringConvertible {
  /// How a parameter receives its value.
  enum Default {
    /// The argument is required.
    case required
    /// A fixed value, written as `text` in signatures.
    case value(RuntimeValue, text: String)
    /// An expression evaluated at call time in the function's closure (user functions).
    case expression(Expr, text: String)
    /// Collects all remaining positional arguments as a list (`print(a, b, …)`).
    case variadic
  }

  let name: String
  let defaultValue: Default
  /// Whether the argument can only be given by keyword (`seed=`, `dtype=`).
  var isKeywordOnly = false

  var description: String {
    switch defaultValue {
    case .required: name
    case .value(_, let text), .expression(_, let text): "\(name)=\(text)"
    case .variadic: "\(name)..."
    }
  }
}
