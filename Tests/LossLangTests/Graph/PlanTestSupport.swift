import CLossKernel
import Testing
@testable import LossLang

/// Helpers for tests of execution plans: tracing expressions without computing them,
/// and reading what a plan will run.
enum PlanTestSupport {
  /// The node of the last expression of `source`, traced (not computed) in `interp`.
  static func trace(_ interp: Interpreter, _ source: String) throws -> Node {
    let statements = try Parser.parse(SourceFile(path: "<test>", text: source))
    guard case .tensor(let node) = try interp.evaluator.run(statements, in: interp.evaluator.globals) else {
      throw TensorError("`\(source)` is not a tensor expression")
    }
    return node
  }

  /// The fused kernels of a plan, in order (those of row chains included).
  static func kernels(_ plan: Plan) -> [KernelStep] {
    plan.steps.flatMap { step -> [KernelStep] in
      switch step {
      case .kernel(let k): [k]
      case .chain(let c): c.kernels
      case .primitive: []
      }
    }
  }

  /// The opcode names of a kernel's instructions.
  static func opcodes(_ kernel: KernelStep) -> [String] {
    kernel.program.instructions.map { lk_opcode_name(Int32($0.op)).map { String(cString: $0) } ?? "?" }
  }

  /// Computes `nodes` fused and, on fresh copies of the values, unfused; returns both.
  static func bothWays(_ interp: Interpreter, _ source: String) throws -> (fused: [Tensor], unfused: [Tensor]) {
    let fused = try Executor.materialize(traceList(interp, source), context: interp.context)
    let unfusedContext = ExecutionContext(fusion: false, cancellation: interp.context.cancellation)
    let unfused = try Executor.materialize(traceList(interp, source), context: unfusedContext)
    return (fused, unfused)
  }

  /// The plan of `source` with its results computed fused and unfused, in pairs.
  static func planAndResults(_ interp: Interpreter, _ source: String) throws
    -> (plan: Plan, live: LiveGraph, pairs: [(fused: Tensor, unfused: Tensor)])
  {
    let live = LiveGraph(roots: try traceList(interp, source))
    let plan = try Plan(live)
    let (fused, unfused) = try bothWays(interp, source)
    try #require(fused.count == unfused.count)
    return (plan, live, zip(fused, unfused).map { ($0, $1) })
  }

  /// The tensors of a list expression (or of one tensor expression), traced.
  static func traceList(_ interp: Interpreter, _ source: String) throws -> [Node] {
    let statements = try Parser.parse(SourceFile(path: "<test>", text: source))
    switch try interp.evaluator.run(statements, in: interp.evaluator.globals) {
    case .tensor(let node): return [node]
    case .list(let items):
      return try items.map { item in
        guard case .tensor(let node) = item else { throw TensorError("not a tensor") }
        return node
      }
    default: throw TensorError("`\(source)` is not a tensor expression")
    }
  }
}
