import Foundation

/// The tree-walking interpreter: runs statements, evaluates expressions, calls functions.
///
/// Tensor operations are recorded on the `tracer` as graph nodes; values are computed
/// only when needed (printing, control flow, saving, returning to Swift).
///
/// The counters read or written on every evaluation step are plain values that no access
/// overlaps, so they skip dynamic exclusivity checks (`@exclusivity(unchecked)`).
final class Evaluator {
  /// Records graph nodes, stamped with the span of the expression being evaluated.
  let tracer = Tracer()
  /// Builtins, prelude and plugin functions.
  let registry: Registry
  /// The user's top-level scope.
  let globals: Environment
  /// Where `print` writes.
  var output: (String) -> Void = { Swift.print($0, terminator: "") }
  /// The warnings and notes reported so far, and the host's handler (``Evaluator/warn(_:at:severity:)``).
  var warnings = WarningLog()
  /// The `--lint` watcher (nil unless linting: see ``startLinting()``).
  var linter: Linter?
  /// Whether `output` reaches a terminal (``InterpreterOptions/outputIsTerminal``).
  var outputIsTerminal = false
  /// The width in columns of the terminal `output` reaches (``InterpreterOptions/outputColumns``).
  var outputColumns: Int?
  /// The figure the drawing builtins (`plot`, `title`, …) go to, kept between evaluations.
  var currentFigure = CurrentFigure()
  /// The default random stream, for random builtins called without `seed=`.
  var random = RandomGenerator(seed: 0)
  /// Files being imported (to report cycles) and already imported (to import once).
  var importing: [String] = []
  var imported: Set<String> = []
  /// Embedded standard-library modules, by file name.
  var stdlibModules: [String: String] = [:]

  /// The stop request checked on calls, loop iterations and kernel operations.
  let interruption: InterruptHandle
  /// How the graph's values are computed (fusion, native kernels, limits, caches).
  let context: ExecutionContext

  /// Resource limits (call depth, steps, tensor size) of this interpreter.
  @exclusivity(unchecked) var limits = Limits() {
    didSet { tracer.maxTensorElements = limits.maxTensorElements }
  }
  /// Whether builtins may touch files.
  var allowFileIO = true
  /// Directories searched by `import` after the importing file's directory.
  var searchPaths: [String] = []
  /// Expression evaluations since the current top-level evaluation began.
  @exclusivity(unchecked) var steps = 0
  /// Whether a compiled loss is being traced with placeholder inputs (reading one throws
  /// `PlaceholderRead`).
  @exclusivity(unchecked) var tracingPlaceholders = false

  /// `assert`, `str` and `shape` as registered, to recognise their calls.
  let builtins: AssertBuiltins

  /// A `break` or `continue` executed and not yet acted on by its loop: statement lists stop
  /// early while it is set, and the innermost loop clears it. The parser lets these
  /// statements stand only where nothing but statement lists lies between them and a loop.
  @exclusivity(unchecked) var pendingJump: LoopJump?

  /// Current depth of LossLang function calls.
  @exclusivity(unchecked) private var callDepth = 0
  /// The scopes of the LossLang function calls under way, outermost first: with their
  /// parents, what the program holds (see `settle`).
  @exclusivity(unchecked) var callScopes: [Environment] = []
  /// Nesting of `run`; a top-level run (depth 0) clears a stale stop request.
  @exclusivity(unchecked) private var runDepth = 0

  init(registry: Registry, globals: Environment, interruption: InterruptHandle, context: ExecutionContext) {
    self.registry = registry
    self.globals = globals
    self.interruption = interruption
    self.context = context
    builtins = AssertBuiltins(registry)
  }

  // MARK: - Statements

  /// Runs statements in `env`; the value of the last expression statement, or `.none`.
  @discardableResult
  func run(_ statements: [Stmt], in env: Environment) throws -> RuntimeValue {
    if runDepth == 0 { interruption.clear() }
    runDepth += 1
    defer { runDepth -= 1 }
    var last: RuntimeValue = .none
    for s in statements {
      last = try execute(s, in: env) ?? .none
      if pendingJump != nil { break }
    }
    return last
  }

  /// Runs one statement; returns its value when it is an expression statement. An error
  /// raised outside every expression (a loop's time limit) gets the statement's span.
  /// When linting, the rewrites the statement applied are reported after it.
  func execute(_ stmt: Stmt, in env: Environment) throws -> RuntimeValue? {
    defer { if linter != nil { reportRewrites() } }
    return try located(at: stmt.span) { try executeKind(stmt, in: env) }
  }

  /// Runs `body`, giving an error without a location `span`.
  func located<T>(at span: SourceSpan?, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let e as LossLangError {
      throw e.located(at: span)
    } catch let e as TensorError {
      throw e.located(at: span)
    } catch let e as LocatedTensorError {
      throw e.error.located(at: e.span ?? span)
    }
  }

  private func executeKind(_ stmt: Stmt, in env: Environment) throws -> RuntimeValue? {
    switch stmt.kind {
    case .expression(let e):
      return try evaluate(e, in: env)
    case .assign(let name, let e):
      let value = try evaluate(e, in: env)
      if case .tensor(let n) = value { n.isBound = true }
      env.define(name, value)
      return nil
    case .function(let name, let params, let body, let doc):
      env.define(name, .function(makeFunction(name: name, params, body: body, doc: doc, closure: env)))
      return nil
    case .destructure(let pattern, let e):
      try bind(pattern, to: evaluate(e, in: env), in: env)
      return nil
    case .forLoop(let variable, let iterable, let body):
      try runLoop(variable, iterable, body, at: stmt.span, in: env)
      return nil
    case .whileLoop(let condition, let body):
      var iterations = 0
      while try truth(evaluate(condition, in: env), at: condition.span) {
        try interruption.check()
        _ = try evaluate(body, in: env)
        if pendingJump != nil, endsLoop() { break }
        iterations += 1
        if iterations % Self.settleInterval == 0 { try settle(env, loop: stmt.span) }
      }
      return nil
    case .jump(let jump):
      pendingJump = jump
      return nil
    case .importFile(let path):
      do { try importFile(path, from: stmt.span, into: env) } catch let e as LossLangError { throw e.located(at: stmt.span) }
      return nil
    }
  }

  /// A user function value.
  func makeFunction(name: String, _ params: [Parameter], body: Expr, doc: String, closure: Environment) -> Function {
    let specs = params.map { p in
      ParameterSpec(
        name: p.name,
        defaultValue: p.defaultValue.map { .expression($0, text: Self.sourceText($0.span)) } ?? .required)
    }
    return Function(name: name, parameters: specs, body: .user(body: body, closure: closure), doc: doc)
  }

  /// The source text a span covers.
  static func sourceText(_ span: SourceSpan) -> String {
    let bytes = span.file.bytes
    let end = min(span.end, bytes.count)
    return span.start < end ? String(decoding: bytes[span.start..<end], as: UTF8.self) : ""
  }

  /// Acts on the pending `break` or `continue` at the end of a loop's body: clears it and
  /// tells whether the loop stops.
  private func endsLoop() -> Bool {
    defer { pendingJump = nil }
    return pendingJump == .exit
  }

  private func runLoop(_ variable: Pattern, _ iterable: Expr, _ body: Expr, at span: SourceSpan, in env: Environment) throws {
    if case .range(let lo, let hi, let inclusive) = iterable.kind {
      let start = try integer(evaluate(lo, in: env), at: lo.span)
      let stop = try integer(evaluate(hi, in: env), at: hi.span) + (inclusive ? 1 : 0)
      var i = start
      while i < stop {
        try interruption.check()
        try bind(variable, to: .tensor(tracer.weakScalar(Double(i))), in: env)
        _ = try evaluate(body, in: env)
        if pendingJump != nil, endsLoop() { break }
        i += 1
        if (i - start) % Self.settleInterval == 0 { try settle(env, loop: span) }
      }
      return
    }
    let items: [RuntimeValue]
    switch try evaluate(iterable, in: env) {
    case .list(let xs): items = xs
    case .dict(let d): items = d.keys.map { .string($0) }
    case .tensor(let n) where !n.shape.isEmpty: items = try unstack(n)
    case let other:
      throw LossLangError(.runtime, "cannot iterate over a \(other.typeName)", span: iterable.span)
    }
    for (k, item) in items.enumerated() {
      try interruption.check()
      try bind(variable, to: item, in: env)
      _ = try evaluate(body, in: env)
      if pendingJump != nil, endsLoop() { break }
      if (k + 1) % Self.settleInterval == 0 { try settle(env, loop: span) }
    }
  }

  /// A whole number from a value, for ranges and indices.
  func integer(_ v: RuntimeValue, at span: SourceSpan?) throws -> Int {
    guard let n = try tensorValue(v), n.count == 1 else {
      throw LossLangError(.runtime, "expected a whole number, got \(v.typeName)", span: span)
    }
    let d = try scalar(n)
    guard d.rounded() == d, abs(d) < 9e15 else {
      throw LossLangError(.runtime, "expected a whole number, got \(d)", span: span)
    }
    return Int(d)
  }

  // MARK: - Calls

  /// Calls a function with positional and keyword arguments.
  func call(_ f: Function, _ positional: [RuntimeValue], _ keywords: [(String, RuntimeValue)] = []) throws -> RuntimeValue {
    try interruption.check()
    switch f.body {
    case .builtin(let body):
      var args = Arguments(function: f, values: try bind(f, positional, keywords), evaluator: self)
      return try body(&args)
    case .user(let body, let closure):
      guard callDepth < limits.maxCallDepth else {
        throw LossLangError(.limitExceeded, "recursion depth exceeded (\(limits.maxCallDepth) nested calls) in '\(f.name)'")
      }
      try checkStack(calling: f)
      // Counted before binding: a default value may call the function again (`def f(x=f())`).
      callDepth += 1
      defer { callDepth -= 1 }
      let bound = try bind(f, positional, keywords)
      if linter != nil { lintCall(f, bound) }
      let scope = f.scope(binding: bound, parent: closure)
      callScopes.append(scope)
      defer { callScopes.removeLast() }
      return try evaluate(body, in: scope)
    }
  }

  /// Throws unless the evaluation stack holds one more nested call (``EvaluationStack``),
  /// whatever the call-depth limit allows.
  private func checkStack(calling f: Function) throws {
    let capacity = EvaluationStack.callCapacity
    guard callDepth < capacity else {
      throw LossLangError(.limitExceeded,
        "recursion depth exceeded (\(capacity) nested calls, the most the evaluation stack holds) in '\(f.name)'")
    }
    guard EvaluationStack.hasRoom() else {
      throw LossLangError(.limitExceeded, "recursion depth exceeded (the nested calls fill the evaluation stack) in '\(f.name)'")
    }
  }

  /// Matches arguments to parameters, Python style, filling defaults.
  private func bind(_ f: Function, _ positional: [RuntimeValue], _ keywords: [(String, RuntimeValue)]) throws -> [RuntimeValue] {
    if keywords.isEmpty, f.variadicIndex == nil, positional.count <= f.positionalCount {
      // The common call: positional arguments only, defaults for the rest.
      guard positional.count < f.parameters.count else { return positional }
      var values = positional
      values.reserveCapacity(f.parameters.count)
      for p in f.parameters[positional.count...] { values.append(try defaultValue(of: p, in: f)) }
      return values
    }
    var slots = [RuntimeValue?](repeating: nil, count: f.parameters.count)
    let variadic = f.variadicIndex
    let fixed = f.positionalCount
    if positional.count > fixed, variadic == nil {
      throw LossLangError(.runtime,
        "\(f.name)() takes \(fixed) positional argument\(fixed == 1 ? "" : "s") but \(positional.count) were given")
    }
    for (i, v) in positional.prefix(fixed).enumerated() { slots[i] = v }
    if let variadic { slots[variadic] = .list(Array(positional.dropFirst(fixed))) }
    for (name, v) in keywords {
      guard let i = parameterIndex(of: name, in: f), i != variadic else {
        var names = f.parameters.indices.filter { $0 != variadic }.map { f.parameters[$0].name }
        names += Self.keywordAliases.keys.filter { parameterIndex(of: $0, in: f) != nil }
        let note = NameSuggestions.closest(to: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
        throw LossLangError(.runtime, "\(f.name)() got an unexpected keyword argument '\(name)'" + note)
      }
      guard slots[i] == nil else {
        throw LossLangError(.runtime, "\(f.name)() got multiple values for argument '\(f.parameters[i].name)'")
      }
      slots[i] = v
    }
    return try zip(f.parameters, slots).map { p, v in try v ?? defaultValue(of: p, in: f) }
  }

  /// PyTorch's spellings of LossLang's parameter names, accepted as keywords.
  private static let keywordAliases = ["dim": "axis", "keepdim": "keepdims"]

  /// The parameter a keyword names: its own, or through ``keywordAliases`` when `f` has
  /// the LossLang name and no parameter spelled like the alias.
  private func parameterIndex(of name: String, in f: Function) -> Int? {
    if let i = f.parameters.firstIndex(where: { $0.name == name }) { return i }
    guard let canonical = Self.keywordAliases[name] else { return nil }
    return f.parameters.firstIndex { $0.name == canonical }
  }

  /// The value a missing argument for parameter `p` of `f` takes.
  private func defaultValue(of p: ParameterSpec, in f: Function) throws -> RuntimeValue {
    switch p.defaultValue {
    case .value(let d, _): return d
    case .expression(let e, _):
      guard case .user(_, let closure) = f.body else { return .none }
      return try evaluate(e, in: closure)
    case .variadic: return .list([])
    case .required: throw LossLangError(.runtime, "\(f.name)() missing required argument '\(p.name)'")
    }
  }

  // MARK: - Tensors

  /// The value as a tensor node, converting numbers, bools and lists of equal-shape tensors.
  func tensorValue(_ v: RuntimeValue) throws -> Node? {
    switch v {
    case .tensor(let n): return n
    case .bool(let b): return tracer.bool(b)
    case .list(let items) where items.isEmpty: return tracer.constant(try Tensor([], shape: [0]))
    case .list(let items): return try stack(items)
    default: return nil
    }
  }

  /// The single number of a one-element tensor.
  func scalar(_ n: Node) throws -> Double {
    let t = try materialize(n)
    guard let v = t.scalarValue else { throw TensorError("expected a single number, got a tensor of shape \(t.shape)") }
    return v
  }

  /// Computes a node's value.
  func materialize(_ n: Node) throws -> Tensor {
    try materialize([n])[0]
  }

  /// Computes several nodes' values together (shared work runs once).
  ///
  /// When only plain numbers are asked for (weak values: arithmetic on literals, counters,
  /// shapes), every plain one-element number computed on the way keeps its value too, so a
  /// number carried through a loop or a recursion and read by a condition (`n - 1 <= 0`) is
  /// computed once, not again from the start by every later read.
  func materialize(_ nodes: [Node]) throws -> [Tensor] {
    if nodes.allSatisfy({ $0.value != nil }) { return nodes.compactMap(\.value) }
    // A condition on plain numbers (weak values, or a 0-d bool comparing them) keeps the
    // plain numbers it computes on the way.
    guard tracingPlaceholders || nodes.allSatisfy({ $0.isWeak || ($0.dtype == .bool && $0.count == 1) }) else {
      return try Executor.materialize(nodes, context: context, inspect: inspector)
    }
    let pending = Node.topologicalOrder(from: nodes) { $0.value != nil }
    if tracingPlaceholders, pending.contains(where: \.isPlaceholder) { throw PlaceholderRead() }
    let numbers = pending.filter { p in p.value == nil && p.isWeak && p.count == 1 && !nodes.contains { $0 === p } }
    return Array(try Executor.materialize(nodes + numbers, context: context, inspect: inspector).prefix(nodes.count))
  }

  /// Whether a condition holds: a Bool, or a one-element tensor that is not zero.
  func truth(_ v: RuntimeValue, at span: SourceSpan) throws -> Bool {
    switch v {
    case .bool(let b): return b
    case .none: return false
    case .tensor(let n):
      guard n.count == 1 else {
        throw LossLangError(.runtime, "a condition must be a scalar or Bool, got a tensor of shape \(n.shape)", span: span)
      }
      return try scalar(n) != 0
    default:
      throw LossLangError(.runtime, "a condition must be a scalar or Bool, got \(v.typeName)", span: span)
    }
  }
}

extension Tracer {
  /// A weakly typed number (a literal).
  func weakScalar(_ v: Double) -> Node { scalar(v, .float64) }

  /// A Bool as a 0-d bool tensor (in arithmetic it promotes like any bool tensor).
  func bool(_ b: Bool) -> Node { constant(Tensor(scalar: b ? 1 : 0, dtype: .bool)) }
}
