import CLossKernel

/// Lowers a kernel group to tile-VM programs with register allocation.
///
/// Operands take the first registers; each instruction gets a temporary that is free
/// again after the last instruction reading it (never the instruction's own sources, so
/// the VM's loops see no aliasing). Casts and broadcasts cost nothing: they are how an
/// operand is loaded. A member is stored when the partition says so (a root, or a value a
/// later step reads); a member's full sum becomes an `LK_SUM` output, its row sums and
/// maxima `LK_ROWSUM` and `LK_ROWMAX` outputs, its `sumExpShifted` an `LK_ROWSUMEXP` output
/// (over leading axes: `LK_COLSUM`, `LK_COLMAX`, `LK_COLSUMEXP`).
/// A group needing more than `LK_MAX_REGS` registers is split in two (the first half
/// storing what the second reads).
struct KernelLowering {
  let nodes: [PlanNode]
  let consumers: [[Int]]

  /// The steps computing `members` (inputs before users), the reductions `sums` of some of
  /// them, and storing the members in `stores`.
  func lower(members: [Int], sums: [Int], stores: Set<Int>) throws -> [KernelStep] {
    try lower(members, sums, stores, group: Set(members))
  }

  /// `lower` for part of a group: a member is also stored when the rest of the group reads it.
  private func lower(_ members: [Int], _ sums: [Int], _ stores: Set<Int>, group: Set<Int>) throws -> [KernelStep] {
    if let step = try program(members, sums, stores, group) { return [step] }
    guard members.count > 1 else { throw TensorError("internal error: a fused kernel needs too many registers") }
    let half = Array(members[..<(members.count / 2)])
    let rest = Array(members[(members.count / 2)...])
    let firstSums = sums.filter { half.contains(nodes[$0].inputs[0]) }
    let restSums = sums.filter { !half.contains(nodes[$0].inputs[0]) }
    return try lower(half, firstSums, stores, group: group) + lower(rest, restSums, stores, group: group)
  }

  /// One program for the members, or nil if it would need too many registers or outputs.
  private func program(_ members: [Int], _ sums: [Int], _ stores: Set<Int>, _ group: Set<Int>) throws -> KernelStep? {
    guard let shape = members.first.map({ nodes[$0].shape }), let dtype = members.first.map({ nodes[$0].dtype }) else {
      throw TensorError("internal error: an empty fused kernel")
    }
    let inside = Set(members)
    // Operands: every input from outside, once, in first-use order; a one-element
    // constant operand of add, sub, mul or div is an immediate instead.
    let forms = members.map { immediateForm(of: $0) }
    var operands: [Int] = []
    var reg: [Int: Int] = [:]
    for (m, form) in zip(members, forms) {
      for x in form?.inputs ?? nodes[m].inputs where !inside.contains(x) && reg[x] == nil {
        reg[x] = operands.count
        operands.append(x)
      }
    }
    guard operands.count <= Int(LK_MAX_REGS) else { return nil }
    // Outputs and the last instruction reading each value.
    var stored: [Int] = []
    var lastUse: [Int: Int] = [:]
    for (t, m) in members.enumerated() {
      for x in forms[t]?.inputs ?? nodes[m].inputs { lastUse[x] = t }
      if stores.contains(m) || consumers[m].contains(where: { group.contains($0) && !inside.contains($0) }) {
        stored.append(m)
      }
    }
    let pinned = Set(stored + sums.map { nodes[$0].inputs[0] })
    var instructions: [lk_insn] = []
    var free: [Int] = []
    var registerCount = operands.count
    for (t, m) in members.enumerated() {
      let node = nodes[m]
      guard case .pointwise(let plain) = node.op else {
        reg[m] = node.inputs.first.flatMap { reg[$0] }  // cast / expand: the operand as loaded
        continue
      }
      let (op, inputs) = forms[t].map { ($0.op, $0.inputs) } ?? (plain, node.inputs)
      let dst = free.popLast() ?? registerCount
      if dst == registerCount { registerCount += 1 }
      var insn = lk_insn()
      insn.op = UInt8(op.rawValue)
      insn.dst = UInt8(truncatingIfNeeded: dst)
      insn.imm = forms[t]?.imm ?? 0
      let sources = inputs.map { reg[$0] ?? 0 }
      if sources.count > 0 { insn.a = UInt8(truncatingIfNeeded: sources[0]) }
      if sources.count > 1 { insn.b = UInt8(truncatingIfNeeded: sources[1]) }
      if sources.count > 2 { insn.c = UInt8(truncatingIfNeeded: sources[2]) }
      instructions.append(insn)
      reg[m] = dst
      // Freed in operand order (each operand once), so a graph always gets the same program.
      for (i, x) in inputs.enumerated() where !inputs[..<i].contains(x) && inside.contains(x) && lastUse[x] == t
        && !pinned.contains(x) {
        if case .pointwise = nodes[x].op, let r = reg[x] { free.append(r) }
      }
    }
    let outputs = stored.map { lk_output(reg: UInt8(truncatingIfNeeded: reg[$0] ?? 0), mode: UInt8(LK_STORE.rawValue)) }
      + sums.map { lk_output(reg: UInt8(truncatingIfNeeded: reg[nodes[$0].inputs[0]] ?? 0), mode: UInt8(reduction($0).mode.rawValue)) }
    guard registerCount <= Int(LK_MAX_REGS), outputs.count <= Int(LK_MAX_REGS) else { return nil }
    var program = KernelProgram(
      dtype: dtype, inputCount: operands.count, registerCount: registerCount, instructions: instructions,
      outputs: outputs)
    program.rowLength = sums.map { reduction($0).rowLength }.max() ?? 0
    return KernelStep(
      program: program, shape: shape, operands: operands,
      strides: operands.map { Broadcast.strides(of: nodes[$0].shape, over: shape) },
      results: stored + sums, resultShapes: (stored + sums).map { nodes[$0].shape },
      source: members.lazy.compactMap { nodes[$0].source }.first)
  }

  /// How the kernel computes reduction node `r` of its members (the partition checked it can).
  private func reduction(_ r: Int) -> (mode: lk_output_mode, rowLength: Int) {
    nodes[r].reduction(of: nodes[nodes[r].inputs[0]]) ?? (LK_SUM, 0)
  }

  /// The immediate form of a binary add, sub, mul or div with one one-element constant
  /// operand: the opcode reading the constant from `imm`, and the remaining input.
  private func immediateForm(of m: Int) -> (op: lk_opcode, inputs: [Int], imm: Double)? {
    guard case .pointwise(let op) = nodes[m].op, nodes[m].inputs.count == 2 else { return nil }
    let (a, b) = (nodes[m].inputs[0], nodes[m].inputs[1])
    let (ca, cb) = (nodes[a].literal?.scalarValue, nodes[b].literal?.scalarValue)
    let forms: (right: lk_opcode, left: lk_opcode)
    switch op {
    case LK_OP_ADD: forms = (LK_OP_ADD_IMM, LK_OP_ADD_IMM)
    case LK_OP_MUL: forms = (LK_OP_MUL_IMM, LK_OP_MUL_IMM)
    case LK_OP_SUB: forms = (LK_OP_SUB_IMM, LK_OP_RSUB_IMM)
    case LK_OP_DIV: forms = (LK_OP_DIV_IMM, LK_OP_RDIV_IMM)
    default: return nil
    }
    if let cb, ca == nil { return (forms.right, [a], cb) }
    if let ca, cb == nil { return (forms.left, [b], ca) }
    return nil
  }
}
