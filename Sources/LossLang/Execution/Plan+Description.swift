/// A plan as text, for a reader who wants to know what the planner fused.
///
/// ```
/// plan: 2 steps, 9 slots
/// leaves: %0 = x float32 [300, 257], %1 = input 2 float32 [300]
/// literals: %3 = 0.1
/// step 1: kernel over float32 [300, 257]
///   float32 program: 2 inputs, 4 registers, rows of 257
///     inputs r0 = %0, r1 = %1
///     r2 = sub r0, r1
///     store r2 → %5 [300, 257]
///     rowmax r2 → %6 [300]
///   release %0
/// step 2: primitive %8 = matmul(%5, %7)
/// roots: %8
/// ```
/// Slots (`%n`) are the plan's value slots, one per plan node. A leaf is a value present
/// before the first step (named, or the walk position of its live node); a literal is a constant
/// folded while planning. A row chain lists its kernels, which run block of rows by block,
/// and the reshapes it makes before the first block. After a step come the slots no later
/// step reads, released there.
extension Plan: CustomStringConvertible {
  /// What a plan's text can say of the graph it was planned for.
  struct Labels {
    /// The text of the leaf at a walk position (name, dtype, shape), when known.
    var leaf: (Int) -> String? = { _ in nil }
    /// The op computed on a live node, as its name and its attributes, when known.
    var primitive: (Int) -> (name: String, attributes: String)? = { _ in nil }
  }

  /// The plan as text, naming primitives by their op only where the plan knows it.
  var description: String { description(labels: Labels()) }

  /// The plan as text, leaves and primitives named by `labels`.
  func description(labels: Labels) -> String {
    var lines = ["plan: \(steps.count) step\(steps.count == 1 ? "" : "s"), \(slotCount) slots"]
    if !leaves.isEmpty {
      lines.append("leaves: " + leaves.map { leaf in
        "%\(leaf.slot) = " + (labels.leaf(leaf.position) ?? "input \(leaf.position)")
      }.joined(separator: ", "))
    }
    if !literals.isEmpty {
      lines.append("literals: " + literals.map { "%\($0.slot) = \(Self.literalText($0.value))" }.joined(separator: ", "))
    }
    for (k, step) in steps.enumerated() {
      lines += Self.lines(of: step, number: "\(k + 1)", labels: labels)
      if k < releases.count, !releases[k].isEmpty {
        lines.append("  release " + releases[k].map { "%\($0)" }.joined(separator: " "))
      }
    }
    lines.append("roots: " + (roots.isEmpty ? "none" : roots.map { "%\($0)" }.joined(separator: ", ")))
    return lines.joined(separator: "\n")
  }

  /// The lines of step `number`: its header, then (indented) its program or chain members.
  private static func lines(of step: Step, number: String, labels: Labels) -> [String] {
    switch step {
    case .kernel(let kernel):
      return lines(of: kernel, title: "step \(number): kernel")
    case .chain(let chain):
      let rows = chain.kernels.first?.shape.first ?? 0
      var lines = [
        "step \(number): row chain of \(chain.kernels.count) kernels over \(rows) rows, \(chain.rowsPerBlock) rows per block"
      ]
      for view in chain.views {
        lines.append("  view %\(view.slot) = reshape %\(view.input) to \(view.shape)")
      }
      for (i, kernel) in chain.kernels.enumerated() {
        lines += self.lines(of: kernel, title: "kernel \(number).\(i + 1)", inPlace: chain.inPlace).map { "  " + $0 }
      }
      return lines
    case .primitive(let node, let source, let standIn, let inputs):
      // `concat(%1, %2) axis=0`: the op's name, its operands, then its attributes.
      let op = standIn.map(\.label) ?? source.flatMap(labels.primitive)
        ?? (name: "primitive of live node \(source.map(String.init) ?? "?")", attributes: "")
      return ["step \(number): primitive %\(node) = \(op.name)(" + inputs.map { "%\($0)" }.joined(separator: ", ") + ")" + op.attributes]
    }
  }

  /// A kernel: `title` over its iteration space, then its program with operand and result
  /// slots (`in %n`: written into that value's buffer, `inPlace`).
  private static func lines(of kernel: KernelStep, title: String, inPlace: [Int: Int] = [:]) -> [String] {
    let results = kernel.results.indices.map { i in
      "%\(kernel.results[i])" + (i < kernel.resultShapes.count ? " \(kernel.resultShapes[i])" : "")
        + (inPlace[kernel.results[i]].map { " in %\($0)" } ?? "")
    }
    let program = kernel.program.disassemblyLines(inputs: kernel.operands.map { "%\($0)" }, outputs: results)
    return ["\(title) over \(typeText(kernel.program.dtype, kernel.shape))"] + program.map { "  " + $0 }
  }

  /// `float32 [300, 257]`.
  static func typeText(_ dtype: DType, _ shape: [Int]) -> String { "\(dtype.rawValue) \(shape)" }

  /// A folded constant: its one value, or its dtype and shape if it has more.
  private static func literalText(_ value: Tensor) -> String {
    value.count == 1 ? "\(value[flat: 0])" : typeText(value.dtype, value.shape)
  }
}

extension Plan.StandIn {
  /// The stand-in's op name and attributes, as the graph printer shows an op.
  var label: (name: String, attributes: String) {
    switch self {
    case .reduce(let op, let axes, let keepdims): ("\(op)", " axes=\(axes)" + (keepdims ? " keepdims" : ""))
    case .sumExpShifted(let axes, let keepdims): ("sumExpShifted", " axes=\(axes)" + (keepdims ? " keepdims" : ""))
    case .reshape(let shape): ("reshape", " shape=\(shape)")
    }
  }
}
