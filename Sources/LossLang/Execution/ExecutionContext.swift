import CLossKernel

/// Everything a plan run depends on besides its inputs: which paths run (fusion, native
/// kernels, finite checks), the limits it runs under (time, through the cancellation
/// token; memory, through the allocation budget; threads), and the caches it fills.
///
/// One is built from an interpreter's options and passed explicitly to every path that
/// runs a plan (`Executor`, `ExecutablePlan`, `BoundPlan`), so nothing below the
/// interpreter reads a setting from the environment or a thread; a test injects its own
/// caches through it.
final class ExecutionContext: Sendable {
  /// Whether plans run fused kernels; false runs one primitive at a time (the reference).
  let fusion: Bool
  /// The native-kernel compiler and its caches, or nil to run every kernel on the tile VM.
  let nativeKernels: NativeKernels?
  /// The fewest elements a kernel compiled by `nativeKernels` runs over (`Int.max` without
  /// them): a kernel below it is sent to the VM without touching `nativeKernels`.
  let nativeMinimumElements: Int
  /// Whether every primitive's output is checked for NaN and ±Inf (runs unfused).
  let checkFinite: Bool
  /// The limits of the interpreter the context belongs to.
  let limits: Limits
  /// The stop request and deadline, checked between steps.
  let cancellation: CancellationToken
  /// The memory the context's tensors may hold, charged while it runs (nil: no limit).
  let budget: AllocationBudget?
  /// The plans already built, by graph structure.
  let planCache: PlanCache
  /// The most threads a kernel call uses, the calling thread included (0: one per core).
  let threads: Int32
  /// Which GEMM matrix products use (installed with the budget by ``charging(_:)``).
  let gemm: GEMMSetting

  init(
    fusion: Bool = true, nativeKernels: NativeKernels? = nil, checkFinite: Bool = false, limits: Limits = Limits(),
    cancellation: CancellationToken = CancellationToken(), budget: AllocationBudget? = nil,
    planCache: PlanCache = .shared, threads: Int? = nil, systemBLAS: Bool = false
  ) {
    self.fusion = fusion
    self.nativeKernels = nativeKernels
    nativeMinimumElements = nativeKernels?.minimumElements ?? .max
    self.checkFinite = checkFinite
    self.limits = limits
    self.cancellation = cancellation
    self.budget = budget
    self.planCache = planCache
    self.threads = Int32(clamping: threads ?? 0)
    gemm = GEMMSetting(systemBLAS: systemBLAS)
  }

  /// Whether plans run as built by the planner (fused, no finite check).
  var runsPlans: Bool { fusion && !checkFinite }

  /// Runs `body` with this context's budget charged for the tensors allocated on this thread
  /// and its thread limit and GEMM setting applied to the kernel calls made on this thread
  /// (`lk_set_threads`, ``GEMMSetting``).
  @inline(__always)
  func charging<T>(_ body: () throws -> T) rethrows -> T {
    let previousThreads = lk_set_threads(threads)
    defer { lk_set_threads(previousThreads) }
    let previous = AllocationBudget.current, previousGEMM = GEMMSetting.current
    if previous === budget && previousGEMM === gemm { return try body() }
    AllocationBudget.install(budget)
    GEMMSetting.install(gemm)
    defer {
      AllocationBudget.install(previous)
      GEMMSetting.install(previousGEMM)
    }
    return try body()
  }

  /// Runs `body` as one top-level evaluation on this thread: under the time limit (the
  /// plan runs in `body` charge the budget themselves). A stop request that ends it is
  /// withdrawn (consumed by that stop), so the next evaluation runs; one raised before it
  /// starts stops it at its first check.
  @inline(__always)
  func evaluation<T>(_ body: () throws -> T) throws -> T {
    let seconds = limits.maxSeconds
    if let seconds { cancellation.setTimeLimit(seconds) }
    defer { if seconds != nil { cancellation.setTimeLimit(nil) } }
    do {
      return try body()
    } catch {
      if cancellation.isCancelled { cancellation.clear() }
      throw error
    }
  }
}
