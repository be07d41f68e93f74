import Foundation

/// The reference-counted, 64-byte-aligned buffer behind a tensor.
///
/// Allocation checks the size first, so an absurd request (`zeros(1e12)`) becomes a
/// thrown error instead of a crash or an out-of-memory kill.
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

  /// Allocates `byteCount` zero-filled bytes, or throws if the size is beyond the limit.
  convenience init(byteCount: Int) throws {
    guard byteCount >= 0, byteCount <= Self.maxBytes else {
      let gib = Double(byteCount) / Double(1 << 30)
      throw TensorError(
        "cannot allocate \(String(format: "%.1f", gib)) GiB: the limit is \(Self.maxBytes >> 30) GiB")
    }
    try AllocationBudget.current?.charge(byteCount)
    self.init(checkedByteCount: byteCount)
  }

  /// Allocates a buffer whose size was already checked against `maxBytes`.
  init(checkedByteCount byteCount: Int) {
    let size = max(byteCount, 64)
    pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
    self.byteCount = byteCount
  }

  deinit { pointer.deallocate() }
}
