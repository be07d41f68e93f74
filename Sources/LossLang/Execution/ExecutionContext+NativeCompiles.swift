extension ExecutionContext {
  /// Waits until the native kernels being compiled in the background are loaded (or have
  /// failed), so that the runs after a warm-up run native code: `timeit` and `:time` call
  /// it after their warm-up. Stops waiting as soon as the cancellation is raised or past the
  /// time limit (the next check then throws); without native kernels, returns at once.
  func waitForNativeCompiles() {
    let cancellation = self.cancellation
    nativeKernels?.waitForCompiles { cancellation.shouldStop }
  }
}
