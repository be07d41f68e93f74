/// `assert(cond, message)` whose condition holds, without building a message nobody reads.
///
/// The prelude validates every loss call with assertions whose messages concatenate
/// strings and `str(shape(x))`. When the condition is `true` and evaluating the message
/// provably has no effect, cannot fail and would give a string, the builtin would discard
/// it: the evaluator then skips building it, counting the evaluation steps it would have
/// taken. Anything else (a shadowed `assert`/`str`/`shape`, a value that would need
/// computing, a step limit or stop request in reach) takes the ordinary path.
extension Evaluator {
  /// The builtins a skipped message may involve, looked up once.
  struct AssertBuiltins {
    let assert: Function?
    let str: Function?
    let shape: Function?

    init(_ registry: Registry) {
      assert = registry.lookup("assert")?.function
      str = registry.lookup("str")?.function
      shape = registry.lookup("shape")?.function
    }
  }

  /// Calls `assert` (the builtin `function`) with `arguments`, skipping the message when
  /// the condition holds and the message provably does nothing but build a string.
  func callAssert(_ function: Function, _ arguments: [Argument], in env: Environment) throws -> RuntimeValue {
    // The condition is evaluated first in either path; only a held Bool skips the message.
    let condition = try evaluate(arguments[0].value, in: env)
    guard case .bool(true) = condition,
      let cost = messageCost(arguments[1].value, in: env), cost.bytes <= Self.maxStringBytes,
      limits.maxSteps.map({ steps + cost.steps <= $0 }) ?? true,
      (try? interruption.check()) != nil
    else {
      let message = try evaluate(arguments[1].value, in: env)
      return try call(function, [condition, message])
    }
    steps += cost.steps
    return .none
  }

  /// Evaluation steps and an upper bound on the UTF-8 length of the string `e` evaluates
  /// to, when evaluating it has no effect and cannot fail; nil otherwise.
  private func messageCost(_ e: Expr, in env: Environment) -> (steps: Int, bytes: Int)? {
    switch e.kind {
    case .string(let s): return (1, s.utf8.count)
    case .name(let name):
      guard case .string(let s)? = try? lookup(name, in: env) else { return nil }
      return (1, s.utf8.count)
    case .binary(.add, let l, let r):
      guard let a = messageCost(l, in: env), let b = messageCost(r, in: env),
        a.bytes + b.bytes <= Self.maxStringBytes
      else { return nil }
      return (1 + a.steps + b.steps, a.bytes + b.bytes)
    case .call(let callee, let arguments):
      guard arguments.count == 1, arguments[0].label == nil, isBuiltin(callee, builtins.str, in: env),
        let shown = displayCost(arguments[0].value, in: env)
      else { return nil }
      return (2 + shown.steps, shown.bytes)
    default: return nil
    }
  }

  /// Steps and a length bound for the argument of `str`: a literal, a name bound to an
  /// already computed small value, or `shape(name)`.
  private func displayCost(_ e: Expr, in env: Environment) -> (steps: Int, bytes: Int)? {
    switch e.kind {
    case .string(let s): return (1, s.utf8.count)
    case .name(let name):
      guard let v = try? lookup(name, in: env), let bytes = Self.displayBound(v, depth: 0) else { return nil }
      return (1, bytes)
    case .call(let callee, let arguments):
      guard arguments.count == 1, arguments[0].label == nil, isBuiltin(callee, builtins.shape, in: env),
        case .name(let name) = arguments[0].value.kind,
        case .tensor(let x)? = try? lookup(name, in: env)
      else { return nil }
      return (3, 2 + 24 * x.shape.count)
    default: return nil
    }
  }

  /// An upper bound on the length of `str(v)` (strings inside lists are quoted), for a small
  /// value whose display needs no computation; nil for anything else.
  private static func displayBound(_ v: RuntimeValue, depth: Int) -> Int? {
    switch v {
    case .string(let s): return 2 + 10 * s.utf8.count
    case .bool, .none: return 5
    case .tensor(let n):
      guard let t = n.value, t.count <= 64 else { return nil }
      return 200 + 64 * t.count
    case .list(let items):
      guard depth < 2, items.count <= 64 else { return nil }
      var total = 2
      for item in items {
        guard let b = displayBound(item, depth: depth + 1) else { return nil }
        total += b + 2
      }
      return total
    case .dict, .function, .optimizer: return nil
    }
  }

  /// Whether `callee` is a name that resolves to `builtin`.
  private func isBuiltin(_ callee: Expr, _ builtin: Function?, in env: Environment) -> Bool {
    guard case .name(let name) = callee.kind, let builtin,
      case .function(let f)? = try? lookup(name, in: env)
    else { return false }
    return f === builtin
  }
}
