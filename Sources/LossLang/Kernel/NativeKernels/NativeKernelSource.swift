import CLossKernel

/// The C source of a native kernel: a program's instructions as one loop of straight-line code.
///
/// The tile VM runs each instruction over a whole tile, writing every intermediate through
/// L1; the generated loop computes all instructions for one element after another in
/// registers. Each instruction calls a function whose body is that opcode's expression from
/// `ops.def`, with the same math headers and for the same target features as the VM, and
/// every result is a separate statement (so nothing contracts across instructions): the
/// native kernel computes bit for bit what the VM computes.
enum NativeKernelSource {
  /// The exported function's name (an `lk_native_fn`).
  static let symbol = "lk_native"
  /// The version of what `lk_run` passes native code, written into every source: the disk
  /// cache is keyed by source text, so a change there (bump this) never loads an old library.
  static let abiVersion = 1

  /// The source for `program`, compiled for the clang target features `target` ("" for none),
  /// reading the inputs in `uniform` (bit i for input i) as one value per call.
  static func source(of program: KernelProgram, target: String, uniform: UInt64 = 0) -> String {
    let type = program.dtype.storage == .float32 ? "float" : "double"
    var lines = [
      "/* A LossLang native kernel (ABI \(abiVersion)), generated from a tile-VM program. */",
      // Another compiler would not contract and target as the VM was compiled.
      "#ifndef __clang__",
      "#error \"native kernels are compiled with clang\"",
      "#endif",
      "#include \"scalar_math.h\"",
    ]
    if !target.isEmpty {
      lines.append("#pragma clang attribute push(__attribute__((target(\"\(target)\"))), apply_to = function)")
    }
    lines += [
      "#define T \(type)",
      program.dtype.storage == .float32 ? "#define M(fn) fn##f" : "#define M(fn) fn",
      // One function per opcode, numbered in ops.def order (the opcode numbering).
      "#define LK_NATIVE_OP(K, EXPR) LK_NATIVE_OP2(K, EXPR)",
      "#define LK_NATIVE_OP2(K, EXPR) static inline __attribute__((always_inline)) \\",
      "  T lk_op_##K(T a, T b, T c, T imm) { (void)a; (void)b; (void)c; (void)imm; return (EXPR); }",
      "#define LK_OP(NAME, STR, ARITY, EXPR) LK_NATIVE_OP(__COUNTER__, EXPR)",
      "#include \"ops.def\"",
      "#undef LK_OP",
      "_Static_assert(__COUNTER__ == \(LK_OP_COUNT.rawValue), \"ops.def does not match the library\");",
      "void \(symbol)(void *const *regs, int64_t n) {",
    ]
    let written = Set(program.outputs.map { Int($0.reg) }.filter { $0 >= program.inputCount }).sorted()
    for i in 0..<program.inputCount {
      lines.append("  const T *restrict const r\(i) = (const T *)regs[\(i)];")
    }
    for r in written { lines.append("  T *restrict const w\(r) = (T *)regs[\(r)];") }
    let isUniform = { (i: Int) in i < 64 && uniform & (1 << UInt64(i)) != 0 }
    for i in 0..<program.inputCount where isUniform(i) { lines.append("  const T v\(i) = r\(i)[0];") }
    lines.append("  for (int64_t j = 0; j < n; j++) {")
    // The value each register holds: inputs are loaded, an instruction defines a new one.
    var value = (0..<program.inputCount).map { "v\($0)" }
      + Array(repeating: "0", count: max(0, program.registerCount - program.inputCount))
    for i in 0..<program.inputCount where !isUniform(i) { lines.append("    const T v\(i) = r\(i)[j];") }
    for (k, insn) in program.instructions.enumerated() {
      let arity = Int(lk_opcode_arity(Int32(insn.op)))
      let source = [insn.a, insn.b, insn.c].enumerated().map { s, r in s < arity ? value[Int(r)] : "(T)0" }
      let imm = "(T)lk_from_bitsd(0x\(String(insn.imm.bitPattern, radix: 16))ULL)"
      lines.append("    const T t\(k) = lk_op_\(insn.op)(\(source.joined(separator: ", ")), \(imm));")
      value[Int(insn.dst)] = "t\(k)"
    }
    for r in written { lines.append("    w\(r)[j] = \(value[r]);") }
    lines += ["  }", "}"]
    if !target.isEmpty { lines.append("#pragma clang attribute pop") }
    return lines.joined(separator: "\n") + "\n"
  }
}
