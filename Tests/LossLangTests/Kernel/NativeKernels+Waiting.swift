import CLossKernel

@testable import LossLang

extension NativeKernels {
  /// The native code of `program` over `elements` elements, reading the inputs in `uniform`
  /// as one value per call, waiting for its compile to end; nil if the VM runs it, or as
  /// soon as `shouldStop` says so.
  func function(for program: KernelProgram, uniform: UInt64 = 0, elements: Int,
                shouldStop: () -> Bool = { false }) -> lk_native_fn? {
    kernel(for: program, uniform: uniform, elements: elements)?.wait(shouldStop: shouldStop)
  }
}
