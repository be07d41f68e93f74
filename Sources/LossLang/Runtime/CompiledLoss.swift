import Foundation

/// A LossLang expression traced once over typed inputs, then evaluated — value and
/// gradients — on new data of the same types without re-parsing or re-tracing.
///
/// ```swift
/// let loss = try interp.compile("huber_loss(w * x + b, y)",
///                               inputs: ["w": TensorType(shape: []), "b": TensorType(shape: []),
///                                        "x": TensorType(shape: [100]), "y": TensorType(shape: [100])])
/// let (value, grads) = try loss.valueAndGradient(["w": w, "b": b, "x": x, "y": y], wrt: ["w", "b"])
/// ```
/// The graph is traced with placeholders. An expression whose graph depends on input
/// *values* (control flow on data, indexing by an input, validation that reads it) cannot
/// be traced that way; it is re-traced on every call instead (`isRetracing`), which is
/// correct but slower. Not thread-safe: use one `CompiledLoss` from one thread at a time;
/// a call while another thread's is running throws "CompiledLoss used from two threads at
/// once" (and tracing, which runs in the interpreter, "Interpreter used from two threads
/// at once" while the interpreter is busy).
public final class CompiledLoss {
  /// The declared inputs.
  public let inputs: [String: TensorType]
  /// How many times the expression has been traced (1 unless it is re-traced per call).
  public private(set) var traceCount = 0
  /// Whether the expression depends on input values and is therefore traced on each call.
  public private(set) var isRetracing = false

  private let interpreter: Interpreter
  /// The interpreter's execution context, which every call runs under.
  private let context: ExecutionContext
  /// Detects calls from two threads at once.
  private let exclusive = ExclusiveUse("CompiledLoss")
  private let statements: [Stmt]
  private let inputOrder: [String]
  /// The declared type of each input, in `inputOrder`.
  private let inputTypes: [TensorType]
  /// Nodes in the traced graph (output and cached gradients), for memory checks.
  var graphNodeCount: Int {
    Node.topologicalOrder(from: (output.map { [$0] } ?? []) + gradientNodes.values.flatMap { $0 }).count
  }

  /// The traced graph: one placeholder per input and the output.
  private var placeholders: [String: Node] = [:]
  private var output: Node?
  /// Gradient nodes, per requested `wrt` list.
  private var gradientNodes: [[String]: [Node]] = [:]
  /// The bound plan computing the output and the gradients, per requested `wrt` list.
  private var boundPlans: [[String]: BoundPlan<LiveGraph>] = [:]
  /// The most recently used entry of `boundPlans` (a loop asks for the same `wrt`).
  private var lastBound: (wrt: [String], plan: BoundPlan<LiveGraph>)?

  init(interpreter: Interpreter, source: String, inputs: [String: TensorType]) throws {
    self.interpreter = interpreter
    self.context = interpreter.context
    self.inputs = inputs
    self.inputOrder = inputs.keys.sorted()
    self.inputTypes = inputOrder.compactMap { inputs[$0] }
    for (name, type) in zip(inputOrder, inputTypes) { try Self.validate(type, of: name, interpreter.evaluator.tracer) }
    self.statements = try Parser.parse(SourceFile(path: "<compiled>", text: source))
    do {
      output = try trace(with: nil)
    } catch is PlaceholderRead {
      isRetracing = true
    }
  }

  /// Throws unless a tensor of the declared `type` could exist: sizes non-negative, the
  /// element count representable, the tensor allocatable and within the element limit.
  private static func validate(_ type: TensorType, of name: String, _ tracer: Tracer) throws {
    do {
      try tracer.checkSize(type.shape, type.dtype)
    } catch let e as TensorError {
      throw LossLangError(.runtime, "compiled loss: input '\(name)' cannot be \(type): \(e.message)")
    } catch let e as LossLangError {
      throw LossLangError(e.kind, "compiled loss: input '\(name)' cannot be \(type): \(e.message)")
    }
  }

  /// The value of the expression on `inputs`.
  public func value(_ inputs: [String: Tensor]) throws -> Tensor {
    try valueAndGradient(inputs, wrt: []).value
  }

  /// The value and the gradients with respect to the inputs named in `wrt`.
  public func valueAndGradient(
    _ inputs: [String: Tensor], wrt: [String]
  ) throws -> (value: Tensor, gradients: [String: Tensor]) {
    try exclusive.run { try unguardedValueAndGradient(inputs, wrt: wrt) }
  }

  /// ``valueAndGradient(_:wrt:)`` once this thread has the loss to itself.
  ///
  /// A call runs under the interpreter's execution context like an evaluation: its time
  /// limit, allocation budget and stop request; with fusion off or finite checks on it
  /// runs one primitive at a time.
  private func unguardedValueAndGradient(
    _ inputs: [String: Tensor], wrt: [String]
  ) throws -> (value: Tensor, gradients: [String: Tensor]) {
    let ordered = try checkedInputs(inputs, wrt: wrt)
    if isRetracing {
      return try interpreter.execute { [self] in try evaluateRetraced(inputs, wrt: wrt) }
    }
    let values: [Tensor]
    do {
      if context.runsPlans {
        let bound = try boundPlan(wrt, ordered)
        values = try context.evaluation { try bound.run(ordered, context: context) }
      } else {
        let roots = try self.roots(wrt)
        values = try context.evaluation { try materializeUnfused(roots, ordered) }
      }
    } catch let e as TensorError {
      throw e.located(at: statements.last?.span)
    } catch let e as LocatedTensorError {
      throw e.error.located(at: e.span ?? statements.last?.span)
    }
    var result: [String: Tensor] = [:]
    result.reserveCapacity(wrt.count)
    for (name, value) in zip(wrt, values.dropFirst()) { result[name] = value }
    return (values[0], result)
  }

  /// The values of `roots` (the output and gradients), through the executor with the
  /// placeholders holding `ordered` (the inputs in `inputOrder`).
  private func materializeUnfused(_ roots: [Node], _ ordered: [Tensor]) throws -> [Tensor] {
    let nodes = try inputNodes()
    for (node, value) in zip(nodes, ordered) { node.value = value }
    defer { for node in nodes { node.value = nil } }
    for node in roots where !node.op.isConstant { node.value = nil }
    return try Executor.materialize(roots, context: context)
  }

  /// The bound plan for `wrt`, made on first use from the graph with the inputs as leaves
  /// (its buffers charged to the context's budget).
  private func boundPlan(_ wrt: [String], _ ordered: [Tensor]) throws -> BoundPlan<LiveGraph> {
    if let last = lastBound, last.wrt == wrt { return last.plan }
    let bound: BoundPlan<LiveGraph>
    if let known = boundPlans[wrt] {
      bound = known
    } else {
      let roots = try self.roots(wrt)
      let nodes = try inputNodes()
      // A placeholder with a value is a leaf of the walk; which value does not matter.
      for (node, value) in zip(nodes, ordered) { node.value = value }
      defer { for node in nodes { node.value = nil } }
      let live = LiveGraph(roots: roots)
      bound = try context.charging {
        try BoundPlan(plan: context.planCache.executable(for: live), graph: live, inputCount: nodes.count) { position in
          nodes.firstIndex { $0 === live.order[position] }
        }
      }
      boundPlans[wrt] = bound
    }
    lastBound = (wrt, bound)
    return bound
  }

  /// The output node followed by the gradient nodes for `wrt`.
  private func roots(_ wrt: [String]) throws -> [Node] {
    guard let output else { throw LossLangError(.runtime, "internal error: compiled loss has no output") }
    return [output] + (try gradients(wrt))
  }

  /// The placeholder of each input, in `inputOrder`.
  private func inputNodes() throws -> [Node] {
    try inputOrder.map { name in
      guard let node = placeholders[name] else { throw LossLangError(.runtime, "internal error: no placeholder for '\(name)'") }
      return node
    }
  }

  /// Traces the statements with the inputs bound to placeholders (`values` nil) or to
  /// constants; returns the output node.
  private func trace(with values: [String: Tensor]?) throws -> Node {
    traceCount += 1
    let evaluator = interpreter.evaluator
    let scope = Environment(parent: evaluator.globals)
    var nodes: [String: Node] = [:]
    for name in inputOrder {
      guard let type = inputs[name] else { continue }
      let node = values?[name].map { Node(constant: $0) }
        ?? Node(op: .constant, inputs: [], shape: type.shape, dtype: type.dtype, span: nil)
      if values == nil { node.isPlaceholder = true }
      nodes[name] = node
      scope.define(name, .tensor(node))
    }
    evaluator.tracingPlaceholders = values == nil
    defer { evaluator.tracingPlaceholders = false }
    let result = try interpreter.execute { [statements] in try evaluator.run(statements, in: scope) }
    guard case .tensor(let y) = result else {
      throw LossLangError(.runtime, "the compiled expression must give a tensor, got \(result.typeName)")
    }
    placeholders = nodes
    return y
  }

  /// The gradient nodes for `wrt`, built once per distinct list.
  private func gradients(_ wrt: [String]) throws -> [Node] {
    if wrt.isEmpty { return [] }
    if let cached = gradientNodes[wrt] { return cached }
    guard let output else { return [] }
    let targets = wrt.compactMap { placeholders[$0] }
    let grads = try interpreter.execute { [interpreter] in
      try interpreter.evaluator.tracer.gradients(of: output, wrt: targets)
    }
    gradientNodes[wrt] = grads
    return grads
  }

  /// One call of a value-dependent expression: trace with the real values, then differentiate.
  private func evaluateRetraced(_ inputs: [String: Tensor], wrt: [String]) throws -> (value: Tensor, gradients: [String: Tensor]) {
    let y = try trace(with: inputs)
    let evaluator = interpreter.evaluator
    let grads = wrt.isEmpty ? [] : try evaluator.tracer.gradients(of: y, wrt: wrt.compactMap { placeholders[$0] })
    let values = try evaluator.materialize([y] + grads)
    var result: [String: Tensor] = [:]
    for (name, value) in zip(wrt, values.dropFirst()) { result[name] = value }
    return (values[0], result)
  }

  /// The inputs in `inputOrder`, after the checks of `check` (which a valid call passes
  /// without hashing every name twice).
  private func checkedInputs(_ values: [String: Tensor], wrt: [String]) throws -> [Tensor] {
    var ordered: [Tensor] = []
    ordered.reserveCapacity(inputOrder.count)
    for (name, type) in zip(inputOrder, inputTypes) {
      guard let t = values[name], t.shape == type.shape, t.dtype == type.dtype else { break }
      ordered.append(t)
    }
    let known = wrt == lastBound?.wrt || wrt.allSatisfy { inputs[$0] != nil }
    if ordered.count == inputOrder.count, values.count == ordered.count, known,
      wrt.isEmpty || (output?.count ?? 1) == 1
    {
      return ordered
    }
    try check(values, wrt: wrt)
    return inputOrder.compactMap { values[$0] }
  }

  /// Checks that every declared input is given with its type and `wrt` names inputs.
  private func check(_ values: [String: Tensor], wrt: [String]) throws {
    for name in inputOrder {
      guard let t = values[name] else { throw LossLangError(.runtime, "compiled loss: missing input '\(name)'") }
      guard let type = inputs[name], t.shape == type.shape, t.dtype == type.dtype else {
        throw LossLangError(.runtime,
          "compiled loss: input '\(name)' is \(TensorType(shape: t.shape, dtype: t.dtype)), expected \(inputs[name]?.description ?? "?")")
      }
    }
    if let extra = values.keys.first(where: { inputs[$0] == nil }) {
      throw LossLangError(.runtime, "compiled loss: unknown input '\(extra)'")
    }
    if let bad = wrt.first(where: { inputs[$0] == nil }) {
      throw LossLangError(.runtime, "compiled loss: cannot differentiate with respect to '\(bad)', which is not an input")
    }
    if !wrt.isEmpty, let output, output.count != 1 {
      throw LossLangError(.runtime, "compiled loss: gradients need a scalar loss, but its shape is \(output.shape)")
    }
  }
}

/// Thrown when tracing needs the value of a placeholder input (the graph depends on data).
struct PlaceholderRead: Error {}

extension Interpreter {
  /// Compiles `expression` (LossLang source over the named inputs) into a reusable loss.
  ///
  /// The source is parsed and traced once; prelude losses and the interpreter's own
  /// definitions may be used. See ``CompiledLoss``.
  public func compile(_ expression: String, inputs: [String: TensorType]) throws -> CompiledLoss {
    try CompiledLoss(interpreter: self, source: expression, inputs: inputs)
  }
}
