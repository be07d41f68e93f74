extension ExecutionContext {
  /// The context of an interpreter created with `options`, stopped through `cancellation`
  /// and charging `budget`.
  convenience init(_ options: InterpreterOptions, cancellation: CancellationToken, budget: AllocationBudget?) {
    let native = options.runsNativeKernels
      ? NativeKernels.instance(cache: options.kernelCacheDirectory,
                               compiler: options.kernelCompiler,
                               minimumElements: options.nativeKernelMinimumElements,
                               dumpDirectory: options.kernelDumpDirectory,
                               waits: options.waitForNativeKernels)
      : nil
    self.init(fusion: options.fusion, nativeKernels: native, checkFinite: options.checkFinite, limits: options.limits,
              cancellation: cancellation, budget: budget, planCache: options.planCache ?? .shared,
              threads: options.threads, systemBLAS: options.systemBLAS)
  }
}
