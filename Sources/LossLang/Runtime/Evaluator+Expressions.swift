/// Expression evaluation: literals, names, operators, calls, indexing, lambdas, `if`.
extension Evaluator {
  /// Evaluates an expression; errors without a location get this expression's span.
  ///
  /// Inside the standard library, the tracer keeps the span of the user's expression that
  /// called it, so a value computed there reports a later error (a non-finite check, a
  /// kernel) at the user's call.
  func evaluate(_ expr: Expr, in env: Environment) throws -> RuntimeValue {
    try countStep()
    let saved = tracer.span
    if saved.map({ Self.isStdlib($0) || !Self.isStdlib(expr.span) }) ?? true { tracer.span = expr.span }
    defer { tracer.span = saved }
    do {
      return try evaluateKind(expr, in: env)
    } catch let e as LossLangError {
      // An error inside the standard library is reported at the user's call.
      if let inner = e.diagnostics.first?.span, e.diagnostics.count == 1, Self.isStdlib(inner), !Self.isStdlib(expr.span) {
        throw LossLangError(e.kind, e.message, span: expr.span)
      }
      throw e.located(at: expr.span)
    } catch let e as TensorError {
      throw e.located(at: expr.span)
    } catch let e as LocatedTensorError {
      let inner = e.span.flatMap { Self.isStdlib($0) && !Self.isStdlib(expr.span) ? nil : $0 }
      throw e.error.located(at: inner ?? expr.span)
    }
  }

  /// Whether `span` lies in the standard library's source.
  static func isStdlib(_ span: SourceSpan) -> Bool {
    span.file.path.hasPrefix(stdlibDirectory)
  }

  /// Counts one evaluation step against `limits.maxSteps`, checking for a stop request,
  /// the time limit and the allocation budget (which graph nodes fill) every 64 steps.
  private func countStep() throws {
    steps += 1
    if let max = limits.maxSteps, steps > max {
      throw LossLangError(.limitExceeded, "step limit exceeded: more than \(max) evaluation steps")
    }
    if steps & 63 == 0 {
      try interruption.check()
      try AllocationBudget.current?.check()
    }
  }

  private func evaluateKind(_ expr: Expr, in env: Environment) throws -> RuntimeValue {
    switch expr.kind {
    case .number(let v): return .tensor(tracer.weakScalar(v))
    case .string(let s): return .string(s)
    case .bool(let b): return .bool(b)
    case .none: return .none
    case .name(let name): return try lookup(name, in: env)
    case .list(let items):
      let values = try items.map { try evaluate($0, in: env) }
      if let t = try stack(values, written: items) { return .tensor(t) }
      // The items of a list are tree leaves: numbers among them keep their identity.
      for case .tensor(let n) in values { n.isBound = true }
      return .list(values)
    case .dict(let entries):
      return .dict(try dictionary(entries, in: env))
    case .format(let parts):
      return .string(try formatString(parts, in: env))
    case .unary(let op, let operand):
      return try unaryOperator(op, evaluate(operand, in: env))
    case .binary(let op, let l, let r) where op == .and || op == .or:
      return try shortCircuit(op, l, r, span: expr.span, in: env)
    case .binary(let op, let l, let r):
      return try binaryOperator(op, evaluate(l, in: env), evaluate(r, in: env))
    case .call(let callee, let arguments):
      return try evaluateCall(callee, arguments, in: env)
    case .index(let base, let items):
      return try index(evaluate(base, in: env), items, in: env)
    case .member(let base, let name):
      return try member(name, of: evaluate(base, in: env), at: expr.span, in: env)
    case .lambda(let params, let body):
      return .function(makeFunction(name: "<lambda>", params, body: body, doc: "", closure: env))
    case .conditional(let cond, let then, let otherwise):
      if try truth(evaluate(cond, in: env), at: cond.span) { return try evaluate(then, in: env) }
      return try otherwise.map { try evaluate($0, in: env) } ?? .none
    case .block(let statements):
      return try run(statements, in: env)
    case .range(let lo, let hi, let inclusive):
      let start = try integer(evaluate(lo, in: env), at: lo.span)
      let stop = try integer(evaluate(hi, in: env), at: hi.span) + (inclusive ? 1 : 0)
      if stop > start { try tracer.checkSize([stop - start], .float64) }
      let values = stop > start ? (start..<stop).map(Double.init) : []
      return .tensor(tracer.constant(try Tensor(values, shape: [values.count])))
    }
  }

  /// The value of a dict literal: keys must be strings; a repeated key keeps its first
  /// position and takes the last value, as in Python.
  private func dictionary(_ entries: [DictEntry], in env: Environment) throws -> OrderedDict<RuntimeValue> {
    var dict = OrderedDict<RuntimeValue>()
    for entry in entries {
      let key = try evaluate(entry.key, in: env)
      guard case .string(let name) = key else {
        throw LossLangError(.runtime, "a dict's keys are strings, got \(key.typeName)", span: entry.key.span)
      }
      let value = try evaluate(entry.value, in: env)
      // A number in a dict is a tree leaf: it keeps its identity so `grad(y, d)` reaches it.
      if case .tensor(let n) = value { n.isBound = true }
      dict[name] = value
    }
    return dict
  }

  /// `a && b` / `a || b`: a scalar left side (a Bool or a one-element tensor) that settles
  /// the answer skips the right side; two scalar sides give a Bool. A non-scalar tensor on
  /// either side combines elementwise (``logical(_:_:_:span:)``).
  private func shortCircuit(_ op: BinaryOperator, _ l: Expr, _ r: Expr, span: SourceSpan, in env: Environment) throws
    -> RuntimeValue
  {
    let left = try evaluate(l, in: env)
    guard let a = try scalarTruth(left) else { return try logical(op, left, evaluate(r, in: env), span: span) }
    if a == (op == .or) { return .bool(a) }
    let right = try evaluate(r, in: env)
    if let b = try scalarTruth(right) { return .bool(b) }
    return try logical(op, left, right, span: span)
  }

  /// Whether a Bool or one-element tensor is true; nil for any other value.
  private func scalarTruth(_ v: RuntimeValue) throws -> Bool? {
    switch v {
    case .bool(let b): return b
    case .tensor(let n) where n.count == 1: return try scalar(n) != 0
    default: return nil
    }
  }

  /// The value of a name: a local or global binding, then a registered function.
  func lookup(_ name: Symbol, in env: Environment) throws -> RuntimeValue {
    if let v = env.lookup(name) { return v }
    if let f = registry.function(name) { return .function(f) }
    throw undefinedName(name.text, in: env)
  }

  /// The value of a name given as a string (`lookup(_:in:)` for names from Swift or strings).
  func lookup(_ name: String, in env: Environment) throws -> RuntimeValue {
    if let v = env.lookup(name) { return v }
    if let e = registry.lookup(name) { return .function(e.function) }
    throw undefinedName(name, in: env)
  }

  /// The error for an unbound name, with a hint or the closest name bound in `env`'s scopes
  /// or registered (see ``NameSuggestions``).
  private func undefinedName(_ name: String, in env: Environment) -> LossLangError {
    var known = Array(registry.entries.keys)
    var scope: Environment? = env
    while let s = scope {
      known += s.names
      scope = s.parent
    }
    return LossLangError(.runtime, "undefined name '\(name)'" + NameSuggestions.note(for: name, among: known))
  }

  /// `base.name` without a call: the method applied to `base` alone (`x.T`, `x.sum`).
  /// An optimizer resolves its own members first (``Optimizer/member(_:in:)``).
  func member(_ name: String, of base: RuntimeValue, at span: SourceSpan, in env: Environment) throws -> RuntimeValue {
    if case .optimizer(let optimizer) = base { return try optimizer.member(name, in: self) }
    return try call(memberFunction(name, at: span, in: env), [base])
  }

  /// `base.name(arguments…)`: the function `name` called with `base` as its first argument;
  /// on an optimizer, its own method (``Optimizer/method(_:)``).
  func callMethod(
    _ name: String, on base: RuntimeValue, _ positional: [RuntimeValue], _ keywords: [(String, RuntimeValue)] = [],
    at span: SourceSpan, in env: Environment
  ) throws -> RuntimeValue {
    if case .optimizer(let optimizer) = base { return try call(optimizer.method(name), positional, keywords) }
    return try call(memberFunction(name, at: span, in: env), [base] + positional, keywords)
  }

  /// The function a member name refers to (`x.T` is `transpose(x)`).
  private func memberFunction(_ name: String, at span: SourceSpan, in env: Environment) throws -> Function {
    let resolved = name == "T" ? "transpose" : name
    guard case .function(let f) = try lookup(resolved, in: env) else {
      throw LossLangError(.runtime, "'\(name)' is not a function, so '.\(name)' cannot be used as a method", span: span)
    }
    return f
  }

  private func evaluateCall(_ callee: Expr, _ arguments: [Argument], in env: Environment) throws -> RuntimeValue {
    if case .member(let base, let name) = callee.kind {
      let receiver = try evaluate(base, in: env)
      let (positional, keywords) = try evaluateArguments(arguments, in: env)
      return try callMethod(name, on: receiver, positional, keywords, at: callee.span, in: env)
    }
    let value = try evaluate(callee, in: env)
    guard case .function(let function) = value else {
      throw LossLangError(.runtime, "a \(value.typeName) is not callable", span: callee.span)
    }
    if function === builtins.assert, arguments.count == 2, arguments.allSatisfy({ $0.label == nil }) {
      return try callAssert(function, arguments, in: env)
    }
    let (positional, keywords) = try evaluateArguments(arguments, in: env)
    return try call(function, positional, keywords)
  }

  /// A call's arguments, evaluated left to right: the positional ones, and the keyword ones in order.
  private func evaluateArguments(
    _ arguments: [Argument], in env: Environment
  ) throws -> (positional: [RuntimeValue], keywords: [(String, RuntimeValue)]) {
    var positional: [RuntimeValue] = []
    positional.reserveCapacity(arguments.count)
    var keywords: [(String, RuntimeValue)] = []
    for a in arguments {
      let v = try evaluate(a.value, in: env)
      if let label = a.label { keywords.append((label, v)) } else { positional.append(v) }
    }
    return (positional, keywords)
  }
}
