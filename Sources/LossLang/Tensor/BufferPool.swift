import Synchronization

/// Large tensor buffers released by fused plans, kept for the next kernel output of the
/// same size.
///
/// A fresh multi-megabyte buffer costs a page fault per 4 KiB page plus a zero fill before
/// the kernel writes it; a loss evaluated in a loop allocates the same sizes every time.
/// The pool holds at most `maxBytes` in buffers of at least `minBytes` (smaller ones are
/// cheap to allocate). A reused buffer is not zeroed (kernels overwrite every element)
/// and is charged to the evaluation's allocation budget like a new one.
final class BufferPool: Sendable {
  /// The process-wide pool.
  static let shared = BufferPool(maxBytes: 128 << 20, minBytes: 1 << 20)

  private struct State {
    var free: [Int: [TensorStorage]] = [:]
    var bytes = 0
  }
  private let state = Mutex(State())
  private let maxBytes: Int
  private let minBytes: Int

  init(maxBytes: Int, minBytes: Int) {
    self.maxBytes = maxBytes
    self.minBytes = minBytes
  }

  /// A buffer of `byteCount` bytes: a pooled one (contents undefined) or a new zeroed one.
  func take(byteCount: Int) throws -> TensorStorage {
    let pooled: TensorStorage? = byteCount < minBytes ? nil : state.withLock { s in
      guard let storage = s.free[byteCount]?.popLast() else { return nil }
      s.bytes -= byteCount
      return storage
    }
    guard let pooled else { return try TensorStorage(byteCount: byteCount) }
    try AllocationBudget.current?.charge(byteCount)
    return pooled
  }

  /// Offers a buffer nothing else references any more; kept if the pool has room.
  func give(_ storage: TensorStorage) {
    let size = storage.byteCount
    guard size >= minBytes else { return }
    state.withLock { s in
      guard s.bytes + size <= maxBytes else { return }
      s.free[size, default: []].append(storage)
      s.bytes += size
    }
  }
}
