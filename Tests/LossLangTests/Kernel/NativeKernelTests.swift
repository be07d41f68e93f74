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
  /// With `chained`, the kernel runs as the one step of a row chain whose stored outputs no
  /// later step reads (`lk_run_chain`, which streams them when they are large); with
  /// `inPlace`, output 0 is written over that input (a copy of it, made for this run).
  static func run(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int], native: lk_native_fn?,
                  uniform: UInt64 = 0, chained: Bool = false, inPlace: Int? = nil) throws -> [[UInt64]] {
    var inputs = inputs
    var outputs = try kernel.outputs.indices.map { try kernel.storedOutput($0, shape: shape, resultShape: nil) }
    if let i = inPlace {
      let copy = try Tensor(inputs[i].tensor.scalars, shape: inputs[i].tensor.shape, dtype: inputs[i].tensor.dtype)
      inputs[i] = KernelOperand(copy, strides: inputs[i].strides)
      outputs[0] = copy
    }
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
              if chained {
                try runChain(&program, ints, inputs, outputs: pointers.baseAddress, sums: sums.baseAddress)
              } else {
                try KernelProgram.launch(
                  &program, shape: UnsafeBufferPointer(rebasing: ints[0..<d]), strides: ints.baseAddress.map { $0 + d },
                  tensor: { inputs[$0].tensor }, outputs: pointers.baseAddress, sums: sums.baseAddress)
              }
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

  /// Runs `program` as a one-step row chain over the shape `ints` starts with (its input
  /// strides following), 64 rows a block, its stored outputs unread by any later step.
  static func runChain(_ program: UnsafePointer<lk_program>, _ ints: UnsafeBufferPointer<Int64>,
                       _ inputs: [KernelOperand], outputs: UnsafePointer<UnsafeMutableRawPointer?>?,
                       sums: UnsafeMutablePointer<Double>?) throws {
    let d = ints.count / (inputs.count + 1)
    let operands = inputs.indices.map { i in
      lk_operand(data: UnsafeRawPointer(inputs[i].tensor.storage.pointer), dtype: inputs[i].tensor.dtype.kernelCode,
                 strides: ints.baseAddress.map { $0 + d * (i + 1) })
    }
    let status = operands.withUnsafeBufferPointer { operands in
      var step = lk_chain_step(program: program, ndim: Int32(d), shape: ints.baseAddress, inputs: operands.baseAddress,
                               outputs: UnsafePointer(outputs), sums: sums, unread: .max)
      return lk_run_chain(&step, 1, 64)
    }
    try KernelStatus.check(status, "row chain")
  }

  /// Checks that the native code of `kernel` over `shape` computes the VM's bits; the inputs
  /// are contiguous tensors of `shape` unless given as operands.
  static func expectSameBits(_ kernel: KernelProgram, _ inputs: [Tensor], _ label: String) throws {
    try expectSameBits(kernel, inputs.map { KernelOperand($0, strides: [1]) }, shape: inputs[0].shape, label)
  }

  static func expectSameBits(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int], _ label: String,
                             chained: Bool = false, inPlace: Int? = nil) throws {
    let uniform = try uniformInputs(kernel, inputs, shape: shape)
    let native = try #require(
      kernels.function(for: kernel, uniform: uniform, elements: shape.reduce(1, *)), "\(label): not compiled")
    let vm = try run(kernel, inputs, shape: shape, native: nil, chained: chained, inPlace: inPlace)
    let compiled = try run(kernel, inputs, shape: shape, native: native, uniform: uniform, chained: chained,
                           inPlace: inPlace)
    // The same bits, but any NaN for a NaN: which of two NaNs an addition returns follows
    // the order of its operands in the instruction the compiler picked (C leaves it open).
    let same = { (x: UInt64, y: UInt64) in x == y || (Double(bitPattern: x).isNaN && Double(bitPattern: y).isNaN) }
    for (k, (a, b)) in zip(vm, compiled).enumerated() {
      let first = a.indices.first { !same(a[$0], b[$0]) }
      #expect(first == nil, "\(label), output \(k): the native kernel differs from the VM at \(first ?? 0)")
    }
  }

  /// lk_native_uniform for `kernel` over `shape` with these operands.
  static func uniformInputs(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int]) throws -> UInt64 {
    withProgram(kernel, inputs, shape: shape) { program, d, shape, operands in
      lk_native_uniform(program, d, shape, operands)
    }
  }

  /// Whether native code for `kernel` over `shape` with these operands folds its row outputs itself.
  static func foldsRows(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int]) -> Bool {
    withProgram(kernel, inputs, shape: shape) { program, d, shape, operands in
      lk_native_row_folds(program, d, shape, operands)
    }
  }

  /// Whether native code for `kernel` over `shape` with these operands takes a job's whole range in one go.
  static func takesRange(_ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int]) -> Bool {
    withProgram(kernel, inputs, shape: shape) { program, d, shape, operands in
      lk_native_takes_range(program, d, shape, operands)
    }
  }

  /// Calls `body` with `kernel` as an lk_program (no native code), the rank, shape and operands.
  static func withProgram<R>(
    _ kernel: KernelProgram, _ inputs: [KernelOperand], shape: [Int],
    _ body: (UnsafePointer<lk_program>, Int32, UnsafePointer<Int64>?, [lk_operand]) -> R
  ) -> R {
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
          return body(&program, Int32(d), ints.baseAddress, operands)
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

  /// A program whose row sums and maxima of computed registers native code folds: r5 only
  /// for a row sum, r6 for a row maximum and a row sum of exponentials (the VM's), r3 stored
  /// and summed by row, r4 summed by the VM and by row, r2 a row value or a second matrix.
  static func foldingKernel(_ dtype: DType, rowLength: Int) -> KernelProgram {
    KernelProgram(
      dtype: dtype, inputCount: 3, registerCount: 7,
      instructions: [
        insn(LK_OP_MUL, 3, 0, 1), insn(LK_OP_EXP, 4, 3), insn(LK_OP_SUB, 5, 4, 2), insn(LK_OP_MUL_IMM, 6, 5, imm: -0.5),
      ],
      outputs: [
        out(5, LK_ROWSUM), out(6, LK_ROWMAX), out(3, LK_ROWSUM), out(3, LK_STORE), out(4, LK_ROWMAX), out(4, LK_SUM),
        out(6, LK_ROWSUMEXP),
      ],
      rowLength: rowLength)
  }

  @Test(arguments: [DType.float32, .float64])
  func nativeCodeFoldsRowsToTheVMsBits(dtype: DType) throws {
    // Rows not a multiple of 32 elements, rows crossing tiles and longer than one, the
    // special values (NaN, infinities, signed zeros: the first row) among random ones, over
    // contiguous operands (native code called row segment by row segment within a tile) and
    // with a row value (run by run); rows under 64 elements are folded by the VM.
    let scaled = Self.values.map { $0 / 16 }
    for (rows, length) in [(23, 100), (5, 1000), (40, 64), (3, 2500), (9, 63)] {
      let kernel = Self.foldingKernel(dtype, rowLength: length)
      let count = rows * length
      let x = try Tensor((0..<count).map { Self.values[$0 % Self.values.count] }, shape: [rows, length], dtype: dtype)
      let y = try Tensor((0..<count).map { scaled[($0 * 7 + 3) % scaled.count] }, shape: [rows, length], dtype: dtype)
      let rowValue = try Tensor((0..<rows).map { scaled[$0 * 5 % scaled.count] }, shape: [rows, 1], dtype: dtype)
      let layouts = [
        ("contiguous", [KernelOperand(x, strides: [length, 1]), KernelOperand(y, strides: [length, 1]),
                        KernelOperand(y, strides: [length, 1])]),
        ("run by run", [KernelOperand(x, strides: [length, 1]), KernelOperand(y, strides: [length, 1]),
                        KernelOperand(rowValue, strides: [1, 0])]),
      ]
      for (layout, operands) in layouts {
        let label = "\(rows)×\(length) \(layout) \(dtype)"
        #expect(Self.foldsRows(kernel, operands, shape: [rows, length]) == (length >= 64), "\(label)")
        try Self.expectSameBits(kernel, operands, shape: [rows, length], label)
      }
    }
    // A program with no row output native code folds (rows of the VM's, of an input) never folds.
    let x = try Tensor((0..<2000).map { Self.values[$0 % Self.values.count] }, shape: [20, 100], dtype: dtype)
    let inputRows = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 2, instructions: [insn(LK_OP_EXP, 1, 0)],
      outputs: [out(0, LK_ROWSUM), out(1, LK_ROWSUMEXP), out(1, LK_STORE)], rowLength: 100)
    #expect(!Self.foldsRows(inputRows, [KernelOperand(x, strides: [100, 1])], shape: [20, 100]))
  }

  @Test(arguments: [DType.float32, .float64])
  func aRangeOfRowsInOneGoIsTheVMsBits(dtype: DType) throws {
    // cross_entropy's gradient: over (rows, length), x and the exponentials contiguous, a row
    // value, a column index along the rows and a scalar; the gradient stored over the
    // exponentials and a masked row sum folded by native code. Nothing needs a tile, so
    // native code takes each job's rows in one go, its positions advanced run by run (rows
    // longer than a tile, and blocks of a row chain starting past row 0, included).
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 5, registerCount: 10,
      instructions: [
        insn(LK_OP_EQUAL, 5, 2, 1), insn(LK_OP_SUB, 6, 0, 1), insn(LK_OP_SELECT, 7, 5, 6, 3),
        insn(LK_OP_MUL, 8, 1, 4), insn(LK_OP_ADD, 9, 8, 7),
      ],
      outputs: [out(9, LK_STORE), out(7, LK_ROWSUM)])
    let scaled = Self.values.map { $0 / 16 }
    for (rows, length) in [(7, 1000), (40, 64), (3, 2500), (130, 100)] {
      var rowKernel = kernel
      rowKernel.rowLength = length
      let count = rows * length
      let x = try Tensor((0..<count).map { Self.values[$0 % Self.values.count] }, shape: [rows, length], dtype: dtype)
      let e = try Tensor((0..<count).map { scaled[($0 * 7 + 3) % scaled.count] }, shape: [rows, length], dtype: dtype)
      let target = try Tensor((0..<rows).map { Double($0 * 37 % length) }, shape: [rows, 1], dtype: dtype)
      let column = try Tensor((0..<length).map(Double.init), shape: [length], dtype: dtype)
      let scalar = try Tensor([0.0], shape: [], dtype: dtype)
      let operands = [
        KernelOperand(x, strides: [length, 1]), KernelOperand(target, strides: [1, 0]),
        KernelOperand(column, strides: [0, 1]), KernelOperand(scalar, strides: [0, 0]),
        KernelOperand(e, strides: [length, 1]),
      ]
      let label = "\(rows)×\(length) \(dtype)"
      #expect(Self.takesRange(rowKernel, operands, shape: [rows, length]), "\(label)")
      try Self.expectSameBits(rowKernel, operands, shape: [rows, length], label, inPlace: 4)
      try Self.expectSameBits(rowKernel, operands, shape: [rows, length], "\(label) chained", chained: true)
      // A row value in the other dtype is converted into a tile: the range goes tile by tile.
      let other = try Tensor(target.scalars, shape: [rows, 1], dtype: dtype == .float32 ? .float64 : .float32)
      var converted = operands
      converted[1] = KernelOperand(other, strides: [1, 0])
      #expect(!Self.takesRange(rowKernel, converted, shape: [rows, length]), "\(label) converted")
    }
  }

  @Test(arguments: [DType.float32, .float64])
  func aResultWrittenOverAnInputIsTheVMsBits(dtype: DType) throws {
    // A row chain's result can take the buffer of an input its program reads element by
    // element before writing it (RowChain.inPlaceResults). The plain loop (nothing folded or
    // streamed) tells the vectorizer that its iterations do not depend on one another: its
    // overlap check would fail on such a buffer and run the scalar loop (cross_entropy's
    // gradient alone: 7.8 against 4.7 ms on one thread).
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 3, registerCount: 6,
      instructions: [insn(LK_OP_EQUAL, 3, 0, 1), insn(LK_OP_MUL, 4, 2, 2), insn(LK_OP_SELECT, 5, 3, 4, 2)],
      outputs: [out(5, LK_STORE)])
    #expect(NativeKernelSource.source(of: kernel, target: "").contains("clang loop vectorize(assume_safety)"))
    let inputs = try Self.inputs(dtype)
    try Self.expectSameBits(kernel, inputs.map { KernelOperand($0, strides: [1]) }, shape: inputs[0].shape,
                            "in place \(dtype)", inPlace: 2)
  }

  @Test(arguments: [DType.float32, .float64])
  func streamedChainOutputsAreTheVMsBits(dtype: DType) throws {
    // A chain step whose stored outputs (8.4 MB) no later step reads streams them: native
    // code writes r3 past the cache itself and folds r5's row sums; r4, also summed by the
    // VM, goes through the tile. Rows of 1000 straddle tiles and blocks.
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 2, registerCount: 6,
      instructions: [insn(LK_OP_SUB, 3, 0, 1), insn(LK_OP_EXP, 4, 3), insn(LK_OP_MUL, 5, 4, 3)],
      outputs: [out(3, LK_STORE), out(5, LK_ROWSUM), out(4, LK_STORE), out(4, LK_SUM)],
      rowLength: 1000)
    let rows = dtype == .float32 ? 2100 : 1050
    #expect(rows * 1000 * (dtype == .float32 ? 4 : 8) >= 8 << 20, "at least LK_STREAM_MIN (program.h): streamed")
    var random = SeededGenerator(seed: 5)
    let x = try Tensor((0..<(rows * 1000)).map { _ in Double.random(in: -4...4, using: &random) },
                       shape: [rows, 1000], dtype: dtype)
    let rowValue = try Tensor((0..<rows).map { Double($0 % 7) / 4 }, shape: [rows, 1], dtype: dtype)
    let operands = [KernelOperand(x, strides: [1000, 1]), KernelOperand(rowValue, strides: [1, 0])]
    #expect(Self.foldsRows(kernel, operands, shape: [rows, 1000]))
    try Self.expectSameBits(kernel, operands, shape: [rows, 1000], "chain \(dtype)", chained: true)
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
