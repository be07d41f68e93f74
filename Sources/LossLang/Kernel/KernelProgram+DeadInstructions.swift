import CLossKernel

extension KernelProgram {
  /// The program without the instructions no output needs (a value a rewrite stopped reading,
  /// such as `x - m` once `RowExpSharing` reads the exponentials of it): the same registers,
  /// inputs and outputs.
  func withoutDeadInstructions() -> KernelProgram {
    var live = Set(outputs.map(\.reg))
    var kept: [lk_insn] = []
    for insn in instructions.reversed() where live.contains(insn.dst) {
      live.remove(insn.dst)
      live.formUnion([insn.a, insn.b, insn.c].prefix(Int(lk_opcode_arity(Int32(insn.op)))))
      kept.append(insn)
    }
    var program = KernelProgram(
      dtype: dtype, inputCount: inputCount, registerCount: registerCount, instructions: kept.reversed(),
      outputs: outputs)
    program.rowLength = rowLength
    return program
  }
}
