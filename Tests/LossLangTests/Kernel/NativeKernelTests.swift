import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// Native kernels (generated C compiled at run time) against the tile VM: the same bits for
/// every opcode and dtype on special and random values, for programs with reused registers
/// and every output mode, end to end through the CLI; the disk cache; the fallbacks.
@Suite struct NativeKernelTests {
  /// Native kernels for every program, however small, cached in this process's scratch directory.
  static let kernels = NativeKernels(
    cache: TestScratch.path("kernels-"), compiler: NativeKernels.shared.compiler, minimumElements: 0)

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
  static func run(_ kernel: KernelProgram, _ inputs: [Tensor], native: lk_native_fn?) throws -> [[UInt64]] {
    let n = inputs[0].shape[0]
    let outputs = try kernel.outputs.indices.map { try kernel.storedOutput($0, shape: [n], resultShape: nil) }
    var sums = [Double](repeating: 0, count: kernel.outputs.count)
    let pointers = outputs.map { $0?.storage.pointer }
    let ints = [Int64(n)] + [Int64](repeating: 1, count: inputs.count)
    try kernel.instructions.withUnsafeBufferPointer { insns in
      try kernel.outputs.withUnsafeBufferPointer { outs in
        var program = lk_program(
          dtype: kernel.dtype.kernelCode, n_inputs: Int32(kernel.inputCount), n_outputs: Int32(kernel.outputs.count),
          n_regs: Int32(kernel.registerCount), n_insns: Int32(kernel.instructions.count),
          insns: insns.baseAddress, outputs: outs.baseAddress, row_length: Int64(kernel.rowLength), native: native)
        try ints.withUnsafeBufferPointer { ints in
          try pointers.withUnsafeBufferPointer { pointers in
            try sums.withUnsafeMutableBufferPointer { sums in
              try KernelProgram.launch(
                &program, shape: UnsafeBufferPointer(rebasing: ints[0..<1]), strides: ints.baseAddress.map { $0 + 1 },
                tensor: { inputs[$0] }, outputs: pointers.baseAddress, sums: sums.baseAddress)
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

  /// Checks that the native code of `kernel` computes the VM's bits.
  static func expectSameBits(_ kernel: KernelProgram, _ inputs: [Tensor], _ label: String) throws {
    let native = try #require(kernels.function(for: kernel, elements: inputs[0].count), "\(label): not compiled")
    let vm = try run(kernel, inputs, native: nil)
    let compiled = try run(kernel, inputs, native: native)
    for (k, (a, b)) in zip(vm, compiled).enumerated() {
      let first = a.indices.first { a[$0] != b[$0] }
      #expect(first == nil, "\(label), output \(k): the native kernel differs from the VM at \(first ?? 0)")
    }
  }

  /// Three inputs over `values`, rotated so that every pair of values meets.
  static func inputs(_ dtype: DType) throws -> [Tensor] {
    try (0..<3).map { shift in
      let v = values.indices.map { values[($0 * (shift + 1) + shift * 7) % values.count] }
      return try Tensor(v, shape: [v.count], dtype: dtype)
    }
  }

  @Test(arguments: [DType.float32, .float64])
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
        outputs: [lk_output(reg: 3, mode: UInt8(LK_STORE.rawValue))])
      try Self.expectSameBits(kernel, inputs, "\(String(cString: lk_opcode_name(op))) \(dtype)")
    }
  }

  @Test(arguments: [DType.float32, .float64])
  func programsWithReusedRegistersAndEveryOutputMode(dtype: DType) throws {
    func insn(_ op: lk_opcode, _ dst: UInt8, _ a: UInt8, _ b: UInt8 = 0, imm: Double = 0) -> lk_insn {
      var i = lk_insn()
      (i.op, i.dst, i.a, i.b, i.imm) = (UInt8(op.rawValue), dst, a, b, imm)
      return i
    }
    // r3 and r4 are written twice; an output reads an input register; two outputs share r4.
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 3, registerCount: 6,
      instructions: [
        insn(LK_OP_SIGMOID, 3, 0), insn(LK_OP_MUL, 4, 3, 1), insn(LK_OP_LOGSIGMOID, 3, 4),
        insn(LK_OP_SUB, 5, 3, 2), insn(LK_OP_MUL_IMM, 4, 5, imm: -0.25), insn(LK_OP_RDIV_IMM, 3, 4, imm: 3),
      ],
      outputs: [
        lk_output(reg: 4, mode: UInt8(LK_STORE.rawValue)), lk_output(reg: 5, mode: UInt8(LK_SUM.rawValue)),
        lk_output(reg: 3, mode: UInt8(LK_ROWMAX.rawValue)), lk_output(reg: 4, mode: UInt8(LK_ROWSUM.rawValue)),
        lk_output(reg: 1, mode: UInt8(LK_STORE.rawValue)),
      ],
      rowLength: 42)
    let finite = Self.values.filter(\.isFinite)
    let inputs = try (0..<3).map { s in
      try Tensor((0..<(42 * 60)).map { finite[($0 * (s + 2)) % finite.count] }, shape: [42 * 60], dtype: dtype)
    }
    try Self.expectSameBits(kernel, inputs, "program \(dtype)")
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
    // A library whose source does not match is not trusted: it is compiled again.
    let source = library.deletingPathExtension().appendingPathExtension("c")
    try "/* something else */\n".write(to: source, atomically: true, encoding: .utf8)
    let third = NativeKernels(cache: cache, compiler: Self.kernels.compiler, minimumElements: 0)
    #expect(third.function(for: kernel, elements: 1) != nil)
    #expect(try String(contentsOf: source, encoding: .utf8) == NativeKernelSource.source(
      of: kernel, target: String(cString: lk_vm_target(Int32(LK_F32.rawValue)))))
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

  @Test func embeddedHeadersMatchTheKernelSources() throws {
    let kernel = CLITests.repository.appendingPathComponent("Sources/CLossKernel")
    for (name, text) in EmbeddedKernelHeaders.files {
      let path = name == "ops.def" ? "include/ops.def" : name
      let onDisk = try String(contentsOf: kernel.appendingPathComponent(path), encoding: .utf8)
      #expect(text == onDisk.trimmingSuffixNewlines, "\(name) is stale: run scripts/embed_kernel_headers.py")
    }
  }

  @Test func lossesAndGradientsThroughTheCLIAreTheVMsBits() throws {
    let out = try TestScratch.subdirectory("native-cli-")
    let script = out.appendingPathComponent("losses.loss")
    try """
      x = randn([96, 40], seed=1) * 4
      t = rand([96, 40], seed=2)
      y = randint(0, 40, [96], seed=3)
      a = randn([96, 40], seed=4)
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
    for mode in ["0", "all"] {
      let dir = out.appendingPathComponent(mode)
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let r = try CLITests().run(
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
    #expect(results["0"]?.0 == results["all"]?.0)
    #expect(results["0"]?.1 == results["all"]?.1)
  }
}
