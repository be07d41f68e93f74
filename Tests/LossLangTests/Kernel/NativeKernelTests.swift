import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// Native kernels (generated C compiled at run time) against the tile VM: the same bits for
/// every opcode and dtype on special and random values, for programs with reused registers
/// and every output mode, end to end through the CLI; the disk cache; the fallbacks.
@Suite(.tags(.native)) struct NativeKernelTests {
  /// Native kernels for every program, however small, cached in this process's scratch directory.
  static let kernels = NativeKernels(
    cache: TestScratch.path("kernels-"), compiler: clangOnPath, minimumElements: 0)

  /// Special values (signed zeros, infinities, NaN, subnormals, the edges of exp's range)
  /// then random ones, more than two tiles' worth so full tiles and a tail both run.
  static let values: [Double] = {
    let special: [Double] = [0, -0.0, 1, -1, 0.5, -0.5, 2, 3, -3, 1e-40, -1e-40, 0x1p-1030, 1e30, -1e30,
                             88.7, -103.9, 20, 20.5, -20, 710, -745, .infinity, -.infinity, .nan, 1e-8, -1e-8]
    var random = SeededGenerator(seed: 11)
    return special + (0..<2100).map { _ in Double.random(in: -40...40, using: &random) }
  }()

  /// The bit patterns of each output of `kernel` over `inputs` (as doubles; sums as summed),
  /// run by the VM, or by `native` when given.
  static func run(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int], native: lk_native_fn?,
                  uniform: UInt64 = 0) throws -> [[UInt64]] {
    let outputs = try kernel.outputs.indices.map { try kernel.storedOutput($0, shape: shape, resultShape: nil) }
    var sums = [Double](repeating: 0, count: kernel.outputs.count)
    let pointers = outputs.map { $0?.storage.pointer }
    let ints = (shape + inputs.flatMap(\.strides)).map(Int64.init), d = shape.count
    try kernel.instructions.withUnsafeBufferPointer { insns in
      try kernel.outputs.withUnsafeBufferPointer { outs in
        var program = lk_program(
          dtype: kernel.dtype.kernelCode, n_inputs: Int32(kernel.inputCount), n_outputs: Int32(kernel.outputs.count),
          n_regs: Int32(kernel.registerCount), n_insns: Int32(kernel.instructions.count),
          insns: insns.baseAddress, outputs: outs.baseAddress, row_length: Int64(kernel.rowLength),
          native: native, native_uniform: uniform)
        try ints.withUnsafeBufferPointer { ints in
          try pointers.withUnsafeBufferPointer { pointers in
            try sums.withUnsafeMutableBufferPointer { sums in
              try KernelProgram.launch(
                &program, shape: UnsafeBufferPointer(rebasing: ints[0..<d]), strides: ints.baseAddress.map { $0 + d },
                tensor: { inputs[$0].tensor }, outputs: pointers.baseAddress, sums: sums.baseAddress)
            }
          }
        }
      }
    }
    return kernel.outputs.indices.map { k in
      guard let t = outputs[k] else { return [sums[k].bitPattern] }
      return (0..<t.count).map { t[flat: $0].bitPattern }
    }
  }

  /// Checks that the native code of `kernel` over `shape` computes the VM's bits; the inputs
  /// are contiguous tensors of `shape` unless given as operands.
  static func expectSameBits(_ kernel: KernelProgram, _ inputs: [Tensor], _ label: String) throws {
    try expectSameBits(kernel, inputs.map { KernelOperand($0, strides: [1]) }, shape: inputs[0].shape, label)
  }

  static func expectSameBits(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int], _ label: String) throws {
    let uniform = try uniformInputs(kernel, inputs, shape: shape)
    let native = try #require(
      kernels.function(for: kernel, uniform: uniform, elements: shape.reduce(1, *)), "\(label): not compiled")
    let vm = try run(kernel, inputs, shape: shape, native: nil)
    let compiled = try run(kernel, inputs, shape: shape, native: native, uniform: uniform)
    for (k, (a, b)) in zip(vm, compiled).enumerated() {
      let first = a.indices.first { a[$0] != b[$0] }
      #expect(first == nil, "\(label), output \(k): the native kernel differs from the VM at \(first ?? 0)")
    }
  }

  /// lk_native_uniform for `kernel` over `shape` with these operands.
  static func uniformInputs(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int]) throws -> UInt64 {
    let ints = (shape + inputs.flatMap(\.strides)).map(Int64.init), d = shape.count
    return kernel.instructions.withUnsafeBufferPointer { insns in
      kernel.outputs.withUnsafeBufferPointer { outs in
        ints.withUnsafeBufferPointer { ints in
          var program = lk_program(
            dtype: kernel.dtype.kernelCode, n_inputs: Int32(kernel.inputCount), n_outputs: Int32(kernel.outputs.count),
            n_regs: Int32(kernel.registerCount), n_insns: Int32(kernel.instructions.count),
            insns: insns.baseAddress, outputs: outs.baseAddress, row_length: Int64(kernel.rowLength),
            native: nil, native_uniform: 0)
          let operands = inputs.indices.map { i in
            lk_operand(data: UnsafeRawPointer(inputs[i].tensor.storage.pointer), dtype: inputs[i].tensor.dtype.kernelCode,
                       strides: ints.baseAddress.map { $0 + d * (i + 1) })
          }
          return lk_native_uniform(&program, Int32(d), ints.baseAddress, operands)
        }
      }
    }
  }

  /// Three inputs over `values`, rotated so that every pair of values meets.
  static func inputs(_ dtype: DType) throws -> [Tensor] {
    try (0..<3).map { shift in
      let v = values.indices.map { values[($0 * (shift + 1) + shift * 7) % values.count] }
      return try Tensor(v, shape: [v.count], dtype: dtype)
    }
  }

  @Test(.tags(.slow), arguments: [DType.float32, .float64])
  func everyOpcodeMatchesTheVM(dtype: DType) throws {
    let inputs = try Self.inputs(dtype)
    for op in 0..<Int32(LK_OP_COUNT.rawValue) {
      var insn = lk_insn()
      insn.op = UInt8(op)
      insn.dst = 3
      (insn.a, insn.b, insn.c) = (0, 1, 2)
      insn.imm = 0.75
      let kernel = KernelProgram(
        dtype: dtype, inputCount: 3, registerCount: 4, instructions: [insn],
        outputs: [out(3, LK_STORE)])
      try Self.expectSameBits(kernel, inputs, "\(String(cString: lk_opcode_name(op))) \(dtype)")
    }
  }

  @Test(arguments: [DType.float32, .float64])
  func programsWithReusedRegistersAndEveryOutputMode(dtype: DType) throws {
    // r3 and r4 are written twice; an output reads an input register; two outputs share r4.
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 3, registerCount: 6,
      instructions: [
        insn(LK_OP_SIGMOID, 3, 0), insn(LK_OP_MUL, 4, 3, 1), insn(LK_OP_LOGSIGMOID, 3, 4),
        insn(LK_OP_SUB, 5, 3, 2), insn(LK_OP_MUL_IMM, 4, 5, imm: -0.25), insn(LK_OP_RDIV_IMM, 3, 4, imm: 3),
      ],
      outputs: [
        out(4, LK_STORE), out(5, LK_SUM), out(3, LK_ROWMAX), out(4, LK_ROWSUM), out(1, LK_STORE), out(5, LK_ROWSUMEXP),
      ],
      rowLength: 42)
    let finite = Self.values.filter(\.isFinite)
    let inputs = try (0..<3).map { s in
      try Tensor((0..<(42 * 60)).map { finite[($0 * (s + 2)) % finite.count] }, shape: [42 * 60], dtype: dtype)
    }
    try Self.expectSameBits(kernel, inputs, "program \(dtype)")
  }

  @Test(arguments: [DType.float32, .float64])
  func rowsWithBroadcastAndStridedOperands(dtype: DType) throws {
    // Over (rows, length): x contiguous, a row value, a column vector, a transposed matrix,
    // a scalar, and a row value in the other dtype (converted); row sums and maxima of rows
    // that straddle tiles, and a row sum of exponentials (whose maximum later tiles raise).
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 6, registerCount: 10,
      instructions: [
        insn(LK_OP_SUB, 6, 0, 1), insn(LK_OP_EXP, 7, 6), insn(LK_OP_EQUAL, 8, 2, 5), insn(LK_OP_SELECT, 9, 8, 7, 3),
        insn(LK_OP_MUL, 6, 9, 4), insn(LK_OP_ADD, 8, 6, 5),
      ],
      // The last two outputs read inputs that run by run (a row value, a column): still gathered.
      outputs: [
        out(8, LK_STORE), out(7, LK_ROWSUM), out(9, LK_ROWMAX), out(6, LK_SUM), out(6, LK_ROWSUMEXP),
        out(1, LK_ROWSUM), out(2, LK_STORE),
      ],
      rowLength: 0)
    let finite = Self.values.filter(\.isFinite).map { max(-80, min(80, $0)) }
    func tensor(_ count: Int, _ shape: [Int], _ dtype: DType, _ step: Int) throws -> Tensor {
      try Tensor((0..<count).map { finite[($0 * step + step) % finite.count] }, shape: shape, dtype: dtype)
    }
    let other: DType = dtype == .float32 ? .float64 : .float32
    for (rows, length) in [(7, 1000), (5, 64), (3, 2500), (9, 63)] {
      var rowKernel = kernel
      rowKernel.rowLength = length
      let x = try tensor(rows * length, [rows, length], dtype, 3)
      let rowValue = try tensor(rows, [rows, 1], dtype, 5)
      let column = try Tensor((0..<length).map { Double($0 % 17) }, shape: [length], dtype: dtype)
      let transposed = try tensor(rows * length, [length, rows], dtype, 7)
      let scalar = try Tensor([0.5], shape: [], dtype: dtype)
      let converted = try Tensor((0..<rows).map { Double($0 % 17) }, shape: [rows, 1], dtype: other)
      let operands = [
        KernelOperand(x, strides: [length, 1]), KernelOperand(rowValue, strides: [1, 0]),
        KernelOperand(column, strides: [0, 1]), KernelOperand(transposed, strides: [1, rows]),
        KernelOperand(scalar, strides: [0, 0]), KernelOperand(converted, strides: [1, 0]),
      ]
      let uniform = try Self.uniformInputs(rowKernel, operands, shape: [rows, length])
      // Rows of 64 or more run row by row, reading the row values in place.
      #expect(uniform == (length >= 64 ? 0b110010 : 0b010000), "\(rows)×\(length)")
      try Self.expectSameBits(rowKernel, operands, shape: [rows, length], "\(rows)×\(length) \(dtype)")
      // The native code is what runs: another program's code gives other results.
      var other = rowKernel.instructions
      other[5] = insn(LK_OP_SUB, 8, 6, 5)
      let wrong = KernelProgram(dtype: dtype, inputCount: 6, registerCount: 10, instructions: other,
                                outputs: rowKernel.outputs, rowLength: length)
      let native = try #require(Self.kernels.function(for: wrong, uniform: uniform, elements: rows * length))
      #expect(try Self.run(rowKernel, operands, shape: [rows, length], native: native, uniform: uniform)
        != Self.run(rowKernel, operands, shape: [rows, length], native: nil))
    }
  }

  @Test func anInterpreterWithoutNativeKernelsNeverCompiles() throws {
    let clang = try #require(clangOnPath, "no clang: native kernels cannot compile here")
    let source = "x = randn([600, 500], seed=21)\nsum(exp(x * 1.5) * x)"
    // One plan cache for both interpreters, of this test's own; kernels cached in scratch.
    var options = Interpreter.Options()
    options.planCache = PlanCache(capacity: 8)
    options.kernelCacheDirectory = TestScratch.path("kernel-cache-")
    options.kernelCompiler = clang
    options.nativeKernels = false
    let off = try Interpreter(options: options)
    let nodes = try PlanTestSupport.traceList(off, source)
    let live = LiveGraph(roots: nodes)  // before the nodes hold their values
    let vm = try Executor.materialize(nodes, context: off.context)
    let runners = try off.context.planCache.executable(for: live).runners
    #expect(off.context.planCache.count == 1)
    #expect(!runners.isEmpty)
    #expect(runners.allSatisfy { !$0.nativeCodeRequested }, "no compile was even attempted")
    // The same plan where native kernels are allowed asks for its code (loads it, or
    // compiles it in the background): the same result.
    options.nativeKernels = true
    let on = try Interpreter(options: options)
    #expect(300_000 >= options.nativeKernelMinimumElements)
    let native = try Executor.materialize(PlanTestSupport.traceList(on, source), context: on.context)
    #expect(on.context.planCache.count == 1, "the plan was reused")
    #expect(runners.contains { $0.nativeCodeRequested })
    #expect(vm.map { $0.scalars } == native.map { $0.scalars })
    #expect(InterpreterOptions.sandboxed.nativeKernels == false)
  }

  @Test func compiledLibrariesAreReusedFromTheCache() throws {
    let cache = TestScratch.path("kernel-cache-")
    let first = NativeKernels(cache: cache, compiler: Self.kernels.compiler, minimumElements: 0)
    let kernel = KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float32)
    #expect(first.function(for: kernel, elements: 1) != nil)
    let files = try #require(FileManager.default.enumerator(at: cache, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "so" }
    let library = try #require(files.first)
    #expect(files.count == 1)
    let built = try FileManager.default.attributesOfItem(atPath: library.path)[.modificationDate] as? Date
    // Another process's view: the library is loaded, not compiled again.
    let second = NativeKernels(cache: cache, compiler: Self.kernels.compiler, minimumElements: 0)
    #expect(second.function(for: kernel, elements: 1) != nil)
    let reused = try FileManager.default.attributesOfItem(atPath: library.path)[.modificationDate] as? Date
    #expect(built != nil && built == reused)
    #expect(first.compiled == 1 && second.compiled == 0)
  }

  @Test func withoutAWorkingCompilerTheVMRuns() throws {
    let kernel = KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float32)
    let none = NativeKernels(cache: TestScratch.path("no-compiler-"), compiler: nil, minimumElements: 0)
    #expect(none.function(for: kernel, elements: 1) == nil)
    let failing = NativeKernels(cache: TestScratch.path("failing-compiler-"), compiler: "/bin/false", minimumElements: 0)
    #expect(failing.function(for: kernel, elements: 1) == nil)
    let small = NativeKernels(cache: TestScratch.path("small-"), compiler: Self.kernels.compiler, minimumElements: 100)
    #expect(small.function(for: kernel, elements: 99) == nil)
  }

  @Test func embeddedHeadersAreTheKernelSources() throws {
    let kernel = repositoryRoot.appendingPathComponent("Sources/CLossKernel")
    for (name, text) in EmbeddedKernelHeaders.files {
      let path = name == "ops.def" ? "include/ops.def" : name
      let onDisk = try String(contentsOf: kernel.appendingPathComponent(path), encoding: .utf8)
      #expect(text == onDisk, "\(name) is not the embedded resource")
    }
  }

  /// A native kernel's source, and each header it includes, include only embedded headers
  /// (a header the kernel starts to include needs a link in NativeKernels/Headers).
  @Test func everyIncludedHeaderIsEmbedded() throws {
    let kernel = KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float32)
    let texts = [NativeKernelSource.source(of: kernel, target: "")] + Array(EmbeddedKernelHeaders.files.values)
    let included = texts.flatMap { text in
      text.split(separator: "\n").compactMap { line -> String? in
        let parts = line.split(separator: "\"")
        return line.hasPrefix("#include \"") && parts.count >= 2 ? String(parts[1]) : nil
      }
    }
    try #require(included.contains("ops.def") && included.contains("scalar_math.h"))
    for name in Set(included) {
      #expect(EmbeddedKernelHeaders.files[name] != nil, "\(name) is included but not embedded")
    }
  }

  @Test(.tags(.slow, .spawnsProcess)) func lossesAndGradientsThroughTheCLIAreTheVMsBits() throws {
    let out = try TestScratch.subdirectory("native-cli-")
    let script = out.appendingPathComponent("losses.loss")
    try """
      x = randn([96, 140], seed=1) * 4
      t = rand([96, 140], seed=2)
      y = randint(0, 140, [96], seed=3)
      a = randn([96, 140], seed=4)
      def check(name, loss, inputs) {
        print(name, loss)
        g = grad(loss, inputs)
        for i in 0..<len(g) { save(args[0] + "/" + name + str(i) + ".npy", g[i]) }
      }
      check("focal", sigmoid_focal_loss(x, t, alpha=0.25, gamma=2.0, reduction="mean"), [x, t])
      check("ce", cross_entropy(x, y, label_smoothing=0.1), [x])
      check("huber", huber_loss(x, t, delta=0.5), [x, t])
      check("triplet", triplet_margin_loss(x, a, t), [x, a, t])
      check("bce", binary_cross_entropy_with_logits(x, t), [x, t])
      check("kl", kl_div(log_softmax(x, axis=1), softmax(a, axis=1), reduction="batchmean"), [x, a])
      """.write(to: script, atomically: true, encoding: .utf8)
    var results: [String: (String, [Data])] = [:]
    // Native: every kernel, each compiled before the run that needs it goes on.
    for mode in ["0", "all,wait"] {
      let dir = out.appendingPathComponent(mode)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let r = try runLossLang(
        [script.path, dir.path],
        environment: ["LOSSLANG_NATIVE": mode, "LOSSLANG_KERNEL_CACHE": out.appendingPathComponent("cache").path])
      #expect(r.status == 0, "\(r.stderr)")
      let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
      #expect(names.count == 12)
      let files = try names.map { try Data(contentsOf: dir.appendingPathComponent($0)) }
      results[mode] = (r.stdout, files)
    }
    let compiled = try FileManager.default.contentsOfDirectory(
      atPath: out.appendingPathComponent("cache").path)
    #expect(!compiled.isEmpty, "no native kernel was compiled")
    #expect(results["0"]?.0 == results["all,wait"]?.0)
    #expect(results["0"]?.1 == results["all,wait"]?.1)
  }
}

/// The instruction r[dst] = op(r[a], r[b], r[c], imm).
private func insn(_ op: lk_opcode, _ dst: UInt8, _ a: UInt8, _ b: UInt8 = 0, _ c: UInt8 = 0, imm: Double = 0) -> lk_insn {
  var i = lk_insn()
  (i.op, i.dst, i.a, i.b, i.c, i.imm) = (UInt8(op.rawValue), dst, a, b, c, imm)
  return i
}

/// The output of register `reg` in `mode`.
private func out(_ reg: UInt8, _ mode: lk_output_mode) -> lk_output {
  lk_output(reg: reg, mode: UInt8(mode.rawValue))
}
