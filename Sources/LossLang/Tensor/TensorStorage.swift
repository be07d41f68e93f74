import Foundation

/// The reference-counted, 64-byte-aligned buffer behind a tensor.
///
/// Allocation checks the size first, so an absurd request (`zeros(1e12)`) becomes a
/// thrown error instead of a crash or an out-of-memory kill. Large buffers come from and
/// go back to ``BufferPool/shared``, so a loss evaluated in a loop reuses the same pages.
/// The bytes are charged to the allocating evaluation's ``AllocationBudget`` until freed.
final class TensorStorage: @unchecked Sendable {
  /// The largest buffer LossLang will allocate: 16 GiB, or the machine's memory if smaller.
  static let maxBytes: Int = {
    let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
    return min(16 << 30, max(1 << 30, physical / 2))
  }()

  /// Start of the buffer.
  let pointer: UnsafeMutableRawPointer
  /// Size in bytes.
  let byteCount: Int
  /// Bytes actually allocated (at least 64): the size the pool files the buffer under.
  private let capacity: Int
  /// The budget `byteCount` was charged to, credited when the buffer is freed.
  private let budget: AllocationBudget?

  /// Allocates a buffer whose size was already checked against `maxBytes` (and charged to
  /// `budget`); contents undefined.
  private init(validByteCount byteCount: Int, budget: AllocationBudget? = nil) {
    capacity = max(byteCount, 64)
    pointer = BufferPool.shared.allocate(capacity: capacity)
    self.byteCount = byteCount
    self.budget = budget
  }

  /// Allocates `byteCount` bytes with undefined contents, for a kernel that writes every
  /// one of them before anything reads it; throws if the size is beyond the limit or the
  /// evaluation's allocation budget.
  convenience init(uninitializedByteCount byteCount: Int) throws {
    guard byteCount >= 0, byteCount <= Self.maxBytes else {
      let gib = Double(byteCount) / Double(1 << 30)
      throw TensorError(
        "cannot allocate \(String(format: "%.1f", gib)) GiB: the limit is \(Self.maxBytes >> 30) GiB")
    }
    let budget = AllocationBudget.current
    try budget?.charge(byteCount)
    self.init(validByteCount: byteCount, budget: budget)
  }

  /// Allocates `byteCount` zero-filled bytes, or throws like ``init(uninitializedByteCount:)``.
  convenience init(byteCount: Int) throws {
    try self.init(uninitializedByteCount: byteCount)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
  }

  /// Allocates zero-filled bytes whose size was already checked against `maxBytes`.
  convenience init(checkedByteCount byteCount: Int) {
    self.init(validByteCount: byteCount)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
  }

  deinit {
    BufferPool.shared.recycle(pointer, capacity: capacity)
    budget?.credit(byteCount)
  }
}
