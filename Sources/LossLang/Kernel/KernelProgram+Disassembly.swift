import CLossKernel

/// A tile-VM program as text: one line per instruction and per output.
///
/// ```
/// float32 program: 2 inputs, 4 registers, rows of 257
///   inputs r0 r1
///   r2 = sub r0, r1
///   r3 = mulImm r2, 0.5
///   store r3
///   rowsum r2
/// ```
/// Opcode names are those of `ops.def` (`lk_opcode_name`); an instruction lists the source
/// registers its opcode reads (`lk_opcode_arity`), then its immediate if the opcode reads one.
extension KernelProgram {
  /// The program as text (see the type's extension documentation).
  var disassembly: String { disassemblyLines().joined(separator: "\n") }

  /// The lines of `disassembly`, the instructions and outputs indented by two spaces; input
  /// register `i` is followed by ` = inputs[i]` and output `k` by ` → outputs[k]` when given.
  func disassemblyLines(inputs: [String]? = nil, outputs names: [String]? = nil) -> [String] {
    var header = "\(dtype.rawValue) program: \(Self.count(inputCount, "input")), \(Self.count(registerCount, "register"))"
    if rowLength > 0 { header += ", rows of \(rowLength)" }
    var lines = [header]
    if inputCount > 0 {
      let registers = (0..<inputCount).map { i in
        "r\(i)" + (inputs.flatMap { i < $0.count ? " = " + $0[i] : nil } ?? "")
      }
      lines.append("  inputs " + registers.joined(separator: inputs == nil ? " " : ", "))
    }
    lines += instructions.map { "  " + Self.text(of: $0) }
    for (k, output) in outputs.enumerated() {
      let target = names.flatMap { k < $0.count ? " → " + $0[k] : nil } ?? ""
      lines.append("  \(Self.modeName(output.mode)) r\(output.reg)\(target)")
    }
    return lines
  }

  /// One instruction: `r4 = add r2, r3`, `r1 = const 0.5`, `r5 = rdivImm r4, 1`.
  static func text(of insn: lk_insn) -> String {
    let arity = lk_opcode_arity(Int32(insn.op))
    guard let name = lk_opcode_name(Int32(insn.op)), arity >= 0 else {
      return "r\(insn.dst) = invalid opcode \(insn.op)"
    }
    var operands = [insn.a, insn.b, insn.c].prefix(Int(arity)).map { "r\($0)" }
    if immediateOpcodes.contains(Int(insn.op)) { operands.append(immediateText(insn.imm)) }
    let text = "r\(insn.dst) = " + String(cString: name)
    return operands.isEmpty ? text : text + " " + operands.joined(separator: ", ")
  }

  /// The opcodes whose expression in `ops.def` reads the immediate `imm`.
  private static let immediateOpcodes: Set<Int> = Set(
    [LK_OP_CONST, LK_OP_ADD_IMM, LK_OP_MUL_IMM, LK_OP_SUB_IMM, LK_OP_RSUB_IMM, LK_OP_DIV_IMM, LK_OP_RDIV_IMM]
      .map { Int($0.rawValue) })

  /// An immediate as a number: `1` for a whole number, else the shortest exact decimal.
  private static func immediateText(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
  }

  /// How an output leaves the VM: `store`, `sum`, `rowsum`, `rowmax`, `rowsumexp`, `colsum`,
  /// `colmax`, `colsumexp`, `rowexp` or `rowsumshift`.
  static func modeName(_ mode: UInt8) -> String {
    switch UInt32(mode) {
    case LK_STORE.rawValue: "store"
    case LK_SUM.rawValue: "sum"
    case LK_ROWSUM.rawValue: "rowsum"
    case LK_ROWMAX.rawValue: "rowmax"
    case LK_ROWSUMEXP.rawValue: "rowsumexp"
    case LK_COLSUM.rawValue: "colsum"
    case LK_COLMAX.rawValue: "colmax"
    case LK_COLSUMEXP.rawValue: "colsumexp"
    case LK_ROWEXP.rawValue: "rowexp"
    case LK_ROWSUMSHIFT.rawValue: "rowsumshift"
    default: "invalid output mode \(mode)"
    }
  }

  /// `1 input`, `3 registers`.
  private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
