import Foundation

/// The embeddable LossLang interpreter: one persistent environment that runs source text.
///
/// ```swift
/// let interp = try Interpreter()
/// interp.bind("pt", try Tensor([0.9, 0.2, 0.6], shape: [3]))
/// let g = try interp.run("grad(mean(0.25 * (1-pt)^2 * -log(pt)), pt)")
/// ```
/// Errors are thrown as ``LossLangError``; nothing a script does can crash the host.
public final class Interpreter {
  let evaluator: Evaluator
  /// The scope holding prelude definitions (parent of the user's globals).
  let preludeScope: Environment
  /// The options the interpreter was created with.
  public let options: Options
  /// The memory this interpreter's tensors and graph may hold (`Limits.maxTotalBytes`),
  /// shared by all its evaluations.
  let budget: AllocationBudget?
  /// How plans run for this interpreter (built from `options`): every evaluation and
  /// compiled loss runs under it.
  let context: ExecutionContext
  /// Detects evaluations from two threads at once.
  let exclusive = ExclusiveUse("Interpreter")

  /// Creates an interpreter with every builtin, and the prelude unless `loadPrelude` is false.
  public convenience init(loadPrelude: Bool = true) throws {
    var options = Options()
    options.loadPrelude = loadPrelude
    try self.init(options: options)
  }

  /// Creates an interpreter configured by `options` (prelude, search paths, file access, limits).
  ///
  /// An interpreter is not thread-safe: use each from one thread at a time. An evaluation
  /// started while another thread's is running throws "Interpreter used from two threads
  /// at once". Separate interpreters share nothing mutable and may run in parallel.
  public init(options: Options) throws {
    try options.validate()
    self.options = options
    budget = options.limits.maxTotalBytes.map(AllocationBudget.init)
    let registry = Registry()
    Builtins.registerAll(in: registry)
    preludeScope = Environment()
    Builtins.defineConstants(in: preludeScope)
    let interruption = InterruptHandle()
    context = ExecutionContext(options, cancellation: interruption.cancellation, budget: budget)
    evaluator = Evaluator(
      registry: registry, globals: Environment(parent: preludeScope), interruption: interruption, context: context)
    evaluator.stdlibModules = EmbeddedStdlib.modules
    evaluator.limits = options.limits
    evaluator.allowFileIO = options.allowFileIO
    evaluator.searchPaths = options.searchPaths
    evaluator.outputIsTerminal = options.outputIsTerminal
    evaluator.outputColumns = options.outputColumns
    evaluator.tracer.rewriteLog = options.rewrites ? RewriteLog() : nil
    evaluator.globals.define("args", .list([]))
    if options.lint { evaluator.startLinting() }
    if options.loadPrelude { try self.loadPrelude() }
  }

  /// Frees the prelude and the globals: a function holds the scope it was defined in, which
  /// holds the function, so without this every released interpreter would leak them.
  ///
  /// On the large evaluation stack: Swift frees nested lists recursively, and a program may
  /// have bound a list nested 100 000 deep (`l = [l, "x"]` in a loop).
  deinit {
    let (globals, prelude) = (evaluator.globals, preludeScope)
    _ = try? onLargeStack {
      globals.removeAll()
      prelude.removeAll()
    }
  }

  /// Where `print` writes (standard output by default).
  public var output: (String) -> Void {
    get { evaluator.output }
    set { evaluator.output = newValue }
  }

  /// Where warnings and notes go (nil, the default, drops them): a numerical hazard, a
  /// surprising default such as `kl_div`'s `reduction="mean"`, a `warn(message)` call.
  ///
  /// Each is delivered once per source location (the same warning raised again at the same
  /// place, by a loop, is dropped), on the thread running the evaluation, while it runs; a
  /// warning never stops it. The `losslang` command prints them on standard error, as
  /// `file:line:col: warning: message` with the source line and a caret.
  public var onWarning: ((Diagnostic) -> Void)? {
    get { evaluator.warnings.handler }
    set { evaluator.warnings.handler = newValue }
  }

  /// The script arguments visible to LossLang as the list of strings `args`.
  public func setArguments(_ arguments: [String]) {
    evaluator.globals.define("args", .list(arguments.map { .string($0) }))
  }

  /// Evaluates source text (statements and expressions) in the interpreter's persistent
  /// environment; returns the value of the last expression statement (`.none` if none).
  @discardableResult
  public func eval(_ source: String) throws -> Value {
    try run(source, path: "<eval>")
  }

  /// Parses and runs source text; `path` names it in error messages.
  @discardableResult
  public func run(_ source: String, path: String = "<string>") throws -> Value {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let statements = try Parser.parse(file)
      let value = try evaluator.run(statements, in: evaluator.globals)
      // Computing the result can fail (a limit, a kernel): that is the last statement's error.
      return try evaluator.located(at: statements.last?.span) { try evaluator.export(value) }
    }
  }

  /// Reads and runs a `.loss` file.
  @discardableResult
  public func run(file: URL) throws -> Value {
    try runFile(file.path)
  }

  /// Reads and runs a `.loss` file given by path (a regular file, charged to the
  /// allocation budget while it is read).
  @discardableResult
  public func runFile(_ path: String) throws -> Value {
    let bytes: [UInt8]
    do { bytes = try FileReader.read(path: path, budget: budget) } catch let e as TensorError {
      throw LossLangError(.io, e.message)
    }
    return try run(String(decoding: bytes, as: UTF8.self), path: path)
  }

  /// Calls the function bound to `name` (a builtin, prelude loss or user definition).
  ///
  /// ```swift
  /// let loss = try interp.call("huber_loss", [.tensor(pred), .tensor(target)], keywords: ["delta": .number(0.5)])
  /// ```
  public func call(_ name: String, _ arguments: [Value] = [], keywords: [String: Value] = [:]) throws -> Value {
    try execute { [evaluator] in
      guard case .function(let f) = try evaluator.lookup(name, in: evaluator.globals) else {
        throw LossLangError(.runtime, "'\(name)' is not a function")
      }
      let positional = arguments.map(evaluator.runtimeValue)
      let named = keywords.sorted { $0.key < $1.key }.map { ($0.key, evaluator.runtimeValue($0.value)) }
      return try evaluator.export(evaluator.call(f, positional, named))
    }
  }

  /// Runs one top-level evaluation on a large-stack thread, under the interpreter's limits
  /// (time, steps, allocation), returning its result or error; throws if another thread
  /// is evaluating in this interpreter.
  func execute<T>(_ body: @escaping () throws -> T) throws -> T {
    try exclusive.run {
      let limits = evaluator.limits
      evaluator.steps = 0
      evaluator.interruption.setTimeLimit(limits.maxSeconds)
      defer { evaluator.interruption.setTimeLimit(nil) }
      do {
        return try onLargeStack { [context] in try context.charging(body) }
      } catch let e as TensorError {
        throw e.located()
      } catch let e as LocatedTensorError {
        throw e.error.located(at: e.span)
      }
    }
  }

  /// Binds a tensor to a global name.
  public func bind(_ name: String, _ tensor: Tensor) {
    evaluator.globals.define(name, .tensor(Node(constant: tensor)))
  }

  /// The current value of a global name, computed.
  public func value(of name: String) throws -> Value? {
    guard let v = evaluator.globals.lookup(name) else { return nil }
    return try execute { [evaluator] in try evaluator.export(v) }
  }

  /// Runs the embedded prelude and registers its functions (with their docs).
  private func loadPrelude() throws {
    guard let statements = try StdlibCache.statements("prelude.loss") else { return }
    // The step limit is for the user's evaluations: the prelude's own steps do not count.
    let maxSteps = evaluator.limits.maxSteps
    evaluator.limits.maxSteps = nil
    defer { evaluator.limits.maxSteps = maxSteps }
    try onLargeStack { [evaluator, preludeScope] in
      try evaluator.run(statements, in: preludeScope)
    }
    for name in preludeScope.names where !name.hasPrefix("_") {
      if case .function(let f) = preludeScope.lookup(name) {
        evaluator.registry.register(f, category: "loss", origin: .prelude)
      }
    }
  }
}

/// Runs `body` on a thread with a 512 MiB stack (``EvaluationStack``), so deep (but
/// bounded) recursion in user programs ends with "recursion depth exceeded" rather than
/// a stack overflow. The thread starts with no allocation budget: an evaluation installs
/// its interpreter's (``ExecutionContext/charging(_:)``).
@discardableResult
func onLargeStack<T>(_ body: @escaping () throws -> T) throws -> T {
  let box = LargeStackBox<T>(body)
  let done = DispatchSemaphore(value: 0)
  let held = ExclusiveUse.heldHere()
  let thread = Thread {
    ExclusiveUse.inherit(held)
    EvaluationStack.install()
    box.result = Result { try box.body() }
    done.signal()
  }
  thread.stackSize = EvaluationStack.size
  thread.start()
  done.wait()
  guard let result = box.result else { throw LossLangError(.runtime, "internal error: evaluation did not finish") }
  return try result.get()
}

/// Carries a closure and its result across the thread boundary of `onLargeStack`.
private final class LargeStackBox<T>: @unchecked Sendable {
  var result: Result<T, Error>?
  let body: () throws -> T
  init(_ body: @escaping () throws -> T) { self.body = body }
}
