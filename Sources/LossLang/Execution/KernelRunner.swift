import CLossKernel
import Foundation

/// A plan's kernel step with its C arguments prepared: what `ExecutablePlan` runs.
///
/// Everything but the data pointers is built once (program, shape, strides), and a run
/// reads the step through this one reference; copying the step itself (as binding it out of
/// `Plan.Step`, or capturing it in a closure, does) would retain and release each of its
/// arrays on every run. Immutable after `init` but for its native code, asked for under a
/// lock on the first run that allows it and taken once loaded, so runs on several threads
/// may share it.
final class KernelRunner: @unchecked Sendable {
  /// The step.
  let step: KernelStep
  /// The C program, pointing into `instructions` and `outputModes`.
  private let program: UnsafeMutablePointer<lk_program>
  private let instructions: UnsafeMutableBufferPointer<lk_insn>
  private let outputModes: UnsafeMutableBufferPointer<lk_output>
  /// The shape, then each operand's strides.
  private let ints: UnsafeMutableBufferPointer<Int64>

  /// A step's native code from one `NativeKernels`: the kernel (nil: the VM runs the step
  /// for good), the inputs it reads as one value per call, and the program calling it once
  /// the kernel is loaded.
  private struct NativeCode {
    let kernels: NativeKernels
    var kernel: CompiledKernel?
    let uniform: UInt64
    var program: UnsafeMutablePointer<lk_program>?
  }
  /// The native code from each `NativeKernels` that a run has asked; usually one. Guarded
  /// by `nativeLock` (taken only by kernels large enough to compile, whose runs take
  /// milliseconds).
  private var nativePrograms: [NativeCode] = []
  private let nativeLock = NSLock()
  /// The elements the step runs over, or -1 if it cannot run natively at all.
  private let nativeElements: Int

  /// Why the step cannot run (what `KernelProgram.launch` would throw), reported by `run`
  /// so that the error gets the step's span.
  private let invalid: TensorError?

  /// Prepares `step`, checking what `KernelProgram.launch` checks on every call.
  init(_ step: KernelStep) {
    let kernel = step.program, n = step.shape.count
    if step.operands.count != kernel.inputCount || step.strides.count != step.operands.count
      || !step.strides.allSatisfy({ $0.count == n })
    {
      invalid = TensorError("kernel program: operands do not match the program")
    } else if n > Int(LK_MAX_DIMS) {
      invalid = TensorError("tensors of more than \(LK_MAX_DIMS) dimensions are not supported")
    } else {
      invalid = nil
    }
    self.step = step
    nativeElements = invalid == nil && !kernel.instructions.isEmpty ? step.shape.reduce(1, *) : -1
    instructions = .allocate(capacity: kernel.instructions.count)
    _ = instructions.initialize(from: kernel.instructions)
    outputModes = .allocate(capacity: kernel.outputs.count)
    _ = outputModes.initialize(from: kernel.outputs)
    let ints = invalid == nil ? (step.shape + step.strides.joined()).map(Int64.init) : []
    self.ints = .allocate(capacity: ints.count)
    _ = self.ints.initialize(from: ints)
    program = .allocate(capacity: 1)
    program.initialize(to: lk_program(
      dtype: kernel.dtype.kernelCode, n_inputs: Int32(kernel.inputCount), n_outputs: Int32(kernel.outputs.count),
      n_regs: Int32(kernel.registerCount), n_insns: Int32(kernel.instructions.count),
      insns: instructions.baseAddress, outputs: outputModes.baseAddress, row_length: Int64(kernel.rowLength),
      native: nil, native_uniform: 0))
  }

  /// The native code `kernels` has for this step's program and shape (nil: the VM always
  /// runs it), and which inputs it reads as one value per call (from the strides).
  private func nativeKernel(_ kernels: NativeKernels) -> NativeCode {
    let n = step.shape.count, count = step.operands.count
    let uniform = withUnsafeTemporaryAllocation(of: lk_operand.self, capacity: count) { operands in
      // Only the strides count here; the data pointer needs only be non-null.
      for i in 0..<count {
        operands[i] = lk_operand(data: UnsafeRawPointer(ints.baseAddress), dtype: Int32(LK_F32.rawValue),
                                 strides: UnsafePointer(ints.baseAddress.map { $0 + n * (i + 1) }))
      }
      return lk_native_uniform(program, Int32(n), ints.baseAddress, operands.baseAddress)
    }
    return NativeCode(kernels: kernels, kernel: kernels.kernel(for: step.program, uniform: uniform, elements: nativeElements),
                      uniform: uniform, program: nil)
  }

  /// The program with native code from `kernels` if its library is loaded, else nil (the VM
  /// runs the step): the first run asks `kernels` (which loads a cached library, or starts
  /// compiling in the background), later runs ask the kernel until it is loaded or failed.
  /// Called under `nativeLock`.
  private func nativeProgram(_ kernels: NativeKernels) -> UnsafeMutablePointer<lk_program>? {
    let i = nativePrograms.firstIndex { $0.kernels === kernels } ?? {
      nativePrograms.append(nativeKernel(kernels))
      return nativePrograms.count - 1
    }()
    if let known = nativePrograms[i].program { return known }
    switch nativePrograms[i].kernel?.state {
    case .loaded(let function):
      let copy = UnsafeMutablePointer<lk_program>.allocate(capacity: 1)
      copy.initialize(to: program.pointee)
      copy.pointee.native = function
      copy.pointee.native_uniform = nativePrograms[i].uniform
      nativePrograms[i].program = copy
      return copy
    case .failed:
      nativePrograms[i].kernel = nil
      return nil
    case .compiling, nil:
      return nil
    }
  }

  /// The prepared C program (valid while this runner lives), with native code from
  /// `context.nativeKernels` if the step is large enough and its code is loaded. Until the
  /// code is there (the first such run finds it in the cache or starts compiling it) the VM
  /// runs the step, unless `context.nativeKernels` ``NativeKernels/waits``: then the run
  /// waits for the compile (until the context's cancellation stops it, without the lock).
  /// Each run of a large enough step is counted in `context.nativeKernels`
  /// (``NativeKernels/countRun(native:)``).
  func cProgram(_ context: ExecutionContext) -> UnsafePointer<lk_program> {
    guard nativeElements >= context.nativeMinimumElements, let kernels = context.nativeKernels else {
      return UnsafePointer(program)
    }
    nativeLock.lock()
    defer { nativeLock.unlock() }
    var native = nativeProgram(kernels)
    if native == nil, kernels.waits, let kernel = nativePrograms.first(where: { $0.kernels === kernels })?.kernel {
      let cancellation = context.cancellation
      nativeLock.unlock()
      _ = kernel.wait { cancellation.shouldStop }
      nativeLock.lock()
      native = nativeProgram(kernels)
    }
    kernels.countRun(native: native != nil)
    return UnsafePointer(native ?? program)
  }

  /// Whether a run has asked for native code (it is loaded, compiling, or found not to apply).
  var nativeCodeRequested: Bool {
    nativeLock.lock()
    defer { nativeLock.unlock() }
    return !nativePrograms.isEmpty
  }
  /// The prepared iteration shape (`step.shape.count` entries).
  var cShape: UnsafePointer<Int64>? { UnsafePointer(ints.baseAddress) }
  /// The prepared strides of operand `i` (`step.shape.count` entries).
  func cStrides(_ i: Int) -> UnsafePointer<Int64>? { UnsafePointer(ints.baseAddress.map { $0 + step.shape.count * (i + 1) }) }

  /// Throws why the step cannot run, if it cannot (see `invalid`).
  func validate() throws { if let invalid { throw invalid } }

  deinit {
    instructions.deallocate()
    outputModes.deallocate()
    ints.deallocate()
    program.deallocate()
    for native in nativePrograms { native.program?.deallocate() }
  }

  /// Runs the kernel on the values in its operand slots, putting each result in its slot.
  ///
  /// `scratch[k]`, when there is one, is where output `k` goes on every run: the buffer a
  /// stored output is written to, or the one-element tensor a sum is written into (a
  /// `BoundPlan` reuses them). Otherwise each stored output gets a new buffer and each sum a
  /// new tensor. Stored outputs are shaped as their results (same element count). Large
  /// kernels run as native code from `context.nativeKernels`, if any.
  func run(_ slots: inout [Tensor?], scratch: [Tensor?], context: ExecutionContext) throws {
    try validate()
    let count = step.program.outputs.count, n = step.shape.count
    try withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: count) { pointers in
      try withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { sums in
        // Stored outputs go straight to their slots (which keep them alive); one no step
        // reads is held here until the kernel has written it.
        var unread: [Tensor] = []
        for k in 0..<count {
          let reused = k < scratch.count ? scratch[k] : nil
          let resultShape = k < step.results.count ? step.resultShapes[k] : nil
          guard step.program.outputs[k].mode != UInt8(LK_SUM.rawValue),
            let t = try reused ?? step.program.storedOutput(k, shape: step.shape, resultShape: resultShape)
          else {
            pointers[k] = nil
            continue
          }
          pointers[k] = t.storage.pointer
          if k < step.results.count { slots[step.results[k]] = t } else { unread.append(t) }
        }
        try withExtendedLifetime(unread) {
          try KernelProgram.launch(
            cProgram(context), shape: UnsafeBufferPointer(rebasing: ints[0..<n]), strides: ints.baseAddress.map { $0 + n },
            tensor: { try Plan.value(slots, self.step.operands[$0]) }, outputs: pointers.baseAddress, sums: sums.baseAddress)
        }
        for k in 0..<count where step.program.outputs[k].mode == UInt8(LK_SUM.rawValue) && k < step.results.count {
          if k < scratch.count, let t = scratch[k] {
            t[flat: 0] = sums[k]
            slots[step.results[k]] = t
          } else {
            slots[step.results[k]] = try Tensor([sums[k]], shape: step.resultShapes[k], dtype: step.program.dtype)
          }
        }
      }
    }
  }
}
