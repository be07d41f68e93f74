import CLossKernel

/// The C source of a native kernel: a program's instructions as a loop of straight-line code.
///
/// The tile VM runs each instruction over a whole tile, writing every intermediate through
/// L1; the generated loop computes all instructions for one element after another in
/// registers. Each instruction calls a function whose body is that opcode's expression from
/// `ops.def`, with the same math headers and for the same target features as the VM, and
/// every result is a separate statement (so nothing contracts across instructions): the
/// native kernel computes bit for bit what the VM computes (but which of two NaNs an
/// addition returns, which follows the operand order the compiler picks).
enum NativeKernelSource {
  /// The exported function's name (an `lk_native_fn`).
  static let symbol = "lk_native"
  /// The version of what `lk_run` passes native code, written into every source: the disk
  /// cache is keyed by source text, so a change there (bump this) never loads an old library.
  static let abiVersion = 2

  /// The source for `program`, compiled for the clang target features `target` ("" for none),
  /// reading the inputs in `uniform` (bit i for input i) as one value per call.
  ///
  /// The function (an `lk_native_fn`) has two loops over the elements: a plain one writing
  /// each output register as it goes, and, when asked to fold row outputs or to stream
  /// stored ones, one taking `LK_FOLD_CHUNK` elements at a time (then the rest) into local
  /// buffers, which it folds and stores with the VM's own steps (`output_steps.h`).
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
      "#define SFX native",
      program.dtype.storage == .float32 ? "#define M(fn) fn##f" : "#define M(fn) fn",
      "#include \"output_steps.h\"",
      // One function per opcode, numbered in ops.def order (the opcode numbering).
      "#define LK_NATIVE_OP(K, EXPR) LK_NATIVE_OP2(K, EXPR)",
      "#define LK_NATIVE_OP2(K, EXPR) static inline __attribute__((always_inline)) \\",
      "  T lk_op_##K(T a, T b, T c, T imm) { (void)a; (void)b; (void)c; (void)imm; return (EXPR); }",
      "#define LK_OP(NAME, STR, ARITY, EXPR) LK_NATIVE_OP(__COUNTER__, EXPR)",
      "#include \"ops.def\"",
      "#undef LK_OP",
      "_Static_assert(__COUNTER__ == \(LK_OP_COUNT.rawValue), \"ops.def does not match the library\");",
      "void \(symbol)(void *const *regs, int64_t n, double *rows, uint64_t stream) {",
    ]
    let written = Set(program.outputs.map { Int($0.reg) }.filter { $0 >= program.inputCount }).sorted()
    for i in 0..<program.inputCount {
      lines.append("  const T *restrict const r\(i) = (const T *)regs[\(i)];")
    }
    for r in written { lines.append("  T *restrict const w\(r) = (T *)regs[\(r)];") }
    let isUniform = { (i: Int) in i < 64 && uniform & (1 << UInt64(i)) != 0 }
    for i in 0..<program.inputCount where isUniform(i) { lines.append("  const T v\(i) = r\(i)[0];") }
    let body = elementBody(of: program, isUniform: isUniform, index: "j")
    lines.append("  if (!rows && !stream) {")
    // `restrict` on local pointers does not reach clang's vectorizer, whose runtime overlap
    // check fails on a register written in place of an input it reads (RowChain's in-place
    // results) and runs the scalar loop: element j is read before it is written, so the
    // vectorizer may assume no dependence between iterations.
    lines.append("    _Pragma(\"clang loop vectorize(assume_safety)\")")
    lines.append("    for (int64_t j = 0; j < n; j++) {")
    lines += body.statements.map { "    " + $0 }
    for r in written { lines.append("      w\(r)[j] = \(body.value[r]);") }
    lines += ["    }", "    return;", "  }"]
    lines += chunkedLoop(of: program, written: written, body: elementBody(of: program, isUniform: isUniform, index: "j + i"))
    lines.append("}")
    if !target.isEmpty { lines.append("#pragma clang attribute pop") }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The statements computing one element at `index` (indented for a loop body), and the
  /// expression each register holds after them.
  private static func elementBody(of program: KernelProgram, isUniform: (Int) -> Bool, index: String)
    -> (statements: [String], value: [String])
  {
    // The value each register holds: inputs are loaded, an instruction defines a new one.
    var value = (0..<program.inputCount).map { "v\($0)" }
      + Array(repeating: "0", count: max(0, program.registerCount - program.inputCount))
    var statements = (0..<program.inputCount).filter { !isUniform($0) }.map { "  const T v\($0) = r\($0)[\(index)];" }
    for (k, insn) in program.instructions.enumerated() {
      let arity = Int(lk_opcode_arity(Int32(insn.op)))
      let source = [insn.a, insn.b, insn.c].enumerated().map { s, r in s < arity ? value[Int(r)] : "(T)0" }
      let imm = "(T)lk_from_bitsd(0x\(String(insn.imm.bitPattern, radix: 16))ULL)"
      statements.append("  const T t\(k) = lk_op_\(insn.op)(\(source.joined(separator: ", ")), \(imm));")
      value[Int(insn.dst)] = "t\(k)"
    }
    return (statements, value)
  }

  /// The loop over `LK_FOLD_CHUNK` elements at a time, then the last `n % LK_FOLD_CHUNK`:
  /// each written register's values go to a local buffer, then to its register (past the
  /// cache if `stream` says so; a register only folded outputs read, only when not folding)
  /// and into the folds of the outputs `lk_native_folds` names (their running state declared
  /// before the loop, and the segment's result written to `rows` after the tail). Whole
  /// chunks have a constant count, so the compiler keeps their buffers and the folds' running
  /// state in registers.
  private static func chunkedLoop(of program: KernelProgram, written: [Int],
                                  body: (statements: [String], value: [String])) -> [String] {
    let folded = program.outputs.enumerated().filter { lk_native_folds($1.mode, $1.reg, Int32(program.inputCount)) }
    let tileRead = Set(program.outputs.filter { !lk_native_folds($0.mode, $0.reg, Int32(program.inputCount)) }.map { Int($0.reg) })
    var lines: [String] = []
    var chunk: [String] = [], end: [String] = []
    for (k, output) in folded {
      if output.mode == UInt8(LK_ROWSUM.rawValue) {
        lines.append("  lk_v8d s\(k)[4] = {{0}, {0}, {0}, {0}};")
        chunk.append("lk_sum_chunk_native(s\(k), b\(output.reg), j / LK_FOLD_CHUNK & 1);")
        end.append("rows[\(k)] = lk_sum_end_native(s\(k), b\(output.reg), c);")
      } else {
        lines.append("  lk_vt_native m\(k);")
        lines.append("  lk_vm_native q\(k);")
        lines.append("  lk_max_start_native(&m\(k), &q\(k));")
        chunk.append("lk_max_chunk_native(&m\(k), &q\(k), b\(output.reg), LK_FOLD_CHUNK);")
        end.append("rows[\(k)] = lk_max_end_native(&m\(k), &q\(k), b\(output.reg), c);")
      }
    }
    /// One chunk of `c` elements from `j` (`whole`: c is LK_FOLD_CHUNK), then its folds.
    func block(whole: Bool) -> [String] {
      var block = written.map { "    _Alignas(64) T b\($0)[LK_FOLD_CHUNK];" }
      block.append("    for (int64_t i = 0; i < c; i++) {")
      block += body.statements.map { "    " + $0 }
      block += written.map { "      b\($0)[i] = \(body.value[$0]);" }
      block.append("    }")
      for r in written {
        let copy = whole ? "__builtin_memcpy(w\(r) + j, b\(r), sizeof b\(r))"
          : "__builtin_memcpy(w\(r) + j, b\(r), (unsigned long)c * sizeof(T))"
        let put = "if (stream >> \(r) & 1) lk_stream_native(w\(r) + j, b\(r), c); else \(copy);"
        block.append(tileRead.contains(r) ? "    \(put)" : "    if (!rows) { \(put) }")
      }
      if !folded.isEmpty { block.append("    if (rows) { \((whole ? chunk : end).joined(separator: " ")) }") }
      return block
    }
    lines += ["  int64_t j = 0;", "  for (; j + LK_FOLD_CHUNK <= n; j += LK_FOLD_CHUNK) {", "    const int64_t c = LK_FOLD_CHUNK;"]
    lines += block(whole: true)
    lines += ["  }", "  {", "    const int64_t c = n - j;"]
    lines += block(whole: false)
    lines.append("  }")
    return lines
  }
}
