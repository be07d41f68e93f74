import CLossKernel
import Testing

@testable import LossLang

/// Row chains as the partition decides them on its kernels' dependency graph: a chain runs
/// after every step its kernels read and before every step reading them, each kernel of a
/// chain reads what earlier kernels of the chain computed row by row and none of their full
/// sums, and the results equal unfused ones.
@Suite("Row chain plans")
struct RowChainPlanTests {
  /// Graphs where steps outside a chain need it, or are needed by it.
  static let sources = [
    // float64 logits: the count of valid targets is a float32 kernel and the float64 kernel
    // summing it; both leave the chain with the gradient seed divided by the count.
    """
    x = float64(randn([300, 257], seed=3) * 4)
    t = floor(rand([300], seed=4) * 257)
    loss = cross_entropy(x, t, label_smoothing=0.1)
    [loss, grad(loss, x)]
    """,
    // Class weights and an ignored class: the weight of each target is a gather (a primitive).
    """
    q = randn([512, 300], seed=1)
    t = floor(rand([512], seed=2) * 300)
    loss = cross_entropy(q, t, weight=rand([300], seed=3), ignore_index=3)
    [loss, grad(loss, q)]
    """,
    // The targets reshaped to a column: a view of a kernel that leaves the chain.
    """
    q = randn([512, 300], seed=1)
    t = floor(rand([512], seed=2) * 300)
    loss = nll_loss(log_softmax(q, axis=1), t)
    [loss, grad(loss, q)]
    """,
    // A primitive (cumsum) reads a value of a chain kernel that reads another: the kernel
    // reading the cumsum cannot join that chain.
    """
    x = randn([400, 300], seed=5)
    e = exp(x - max(x, axis=1, keepdims=true))
    z = cumsum(e, axis=1) * e + sum(e, axis=1, keepdims=true)
    [z, grad(sum(z * z), x)]
    """,
    // A kernel reading a full sum of the chain, or its row sums along columns, cannot join it.
    """
    x = randn([400, 300], seed=9)
    e = exp(x - max(x, axis=1, keepdims=true))
    e / sum(e)
    """,
    """
    x = randn([400, 400], seed=12)
    e = exp(x - max(x, axis=1, keepdims=true))
    p = e / sum(e, axis=1, keepdims=true)
    p * sum(p, axis=1)
    """,
    """
    q = randn([512, 300], seed=1)
    loss = kl_div(log_softmax(q, axis=1), softmax(q * 2, axis=1), reduction="batchmean")
    [loss, grad(loss, q)]
    """,
  ]

  /// The problems of `chain`, run when the slots in `available` are computed: a value read
  /// before it is computed, a row read as another row, a full sum read inside its chain.
  static func problems(_ chain: RowChain, available: Set<Int>) -> [String] {
    var available = available
    guard let rows = chain.kernels.first?.shape.first, rows > 0 else { return ["a chain over no rows"] }
    var problems: [String] = []
    // The kernel after which each value the chain computes is complete, and its elements per row.
    var ready: [Int: (kernel: Int, width: Int)] = [:]
    var fullSums = Set<Int>()
    for (k, kernel) in chain.kernels.enumerated() {
      if kernel.shape.first != rows { problems.append("kernel \(k) is over \(kernel.shape), not \(rows) rows") }
      for (i, slot) in kernel.results.enumerated() {
        if kernel.program.outputs[i].mode == UInt8(LK_SUM.rawValue) {
          fullSums.insert(slot)
        } else {
          ready[slot] = (k, kernel.resultShapes[i].reduce(1, *) / rows)
        }
      }
    }
    for view in chain.views {
      if let input = ready[view.input] {
        ready[view.slot] = input
      } else if available.contains(view.input) {
        available.insert(view.slot)
      } else {
        problems.append("view %\(view.slot) reshapes %\(view.input), which is not computed")
      }
    }
    for (k, kernel) in chain.kernels.enumerated() {
      for (i, slot) in kernel.operands.enumerated() {
        if fullSums.contains(slot) {
          problems.append("kernel \(k) reads the full sum %\(slot) of its chain")
        } else if let value = ready[slot] {
          if value.kernel >= k { problems.append("kernel \(k) reads %\(slot) before kernel \(value.kernel) computes it") }
          if kernel.strides[i].first != value.width { problems.append("kernel \(k) reads %\(slot) across rows") }
        } else if !available.contains(slot) {
          problems.append("kernel \(k) reads %\(slot), which is not computed")
        }
      }
    }
    return problems
  }

  @Test(arguments: sources)
  func chainsRunAfterWhatTheyReadAndReadRowByRow(_ source: String) throws {
    // The formulas as written: stable rewrites would plan `e / sum(e)` as a softmax.
    var options = Interpreter.Options()
    options.rewrites = false
    let interp = try Interpreter(options: options)
    let (plan, _) = try RowFusionTests.expectAgreement(interp, source, rtol: 1e-4)
    try #require(!RowFusionTests.chains(plan).isEmpty, "the plan has no row chain:\n\(plan)")
    let problems = Self.orderProblems(plan)
    #expect(problems.isEmpty, "\(problems)\n\(plan)")
  }

  /// The problems of `plan`'s order: a step reading a value before a step computes it, and
  /// the problems of each chain (`problems(_:available:)`).
  static func orderProblems(_ plan: Plan) -> [String] {
    var available = Set(plan.leaves.map(\.slot) + plan.literals.map(\.slot))
    var problems: [String] = []
    for (k, step) in plan.steps.enumerated() {
      if case .chain(let chain) = step {
        problems += Self.problems(chain, available: available).map { "step \(k + 1): \($0)" }
      } else {
        let missing = step.reads.filter { !available.contains($0) }
        if !missing.isEmpty { problems.append("step \(k + 1) reads \(missing) before they are computed") }
      }
      available.formUnion(EmptyTensorPlanTests.results(step))
    }
    return problems
  }
}
