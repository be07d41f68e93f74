import Foundation
import Synchronization

/// Large tensor buffers whose tensors died, kept for the next allocation of the same size
/// (like PyTorch's caching allocator).
///
/// A fresh multi-megabyte buffer costs a page fault per 4 KiB page (the kernel zeroes each
/// one) and a `munmap` when freed; a loss evaluated in a loop allocates the same sizes every
/// time. `TensorStorage` takes its memory from ``allocate(capacity:)`` and hands it back in
/// `deinit`, when nothing references it any more, so a buffer is never handed out twice.
/// The pool keeps at most `maxBytes` in buffers of `minBytes` or more (smaller ones are cheap
/// for `malloc`), dropping the oldest first. Budget charging and zero filling are the
/// caller's (`TensorStorage`'s) business: pooled buffers come back with undefined contents.
final class BufferPool: Sendable {
  /// The process-wide pool: up to 1 GiB (or 1/16 of physical memory if smaller) in buffers
  /// of 1 MiB or more. A loop that repeats its sizes keeps, per size, no more buffers than it
  /// had live at once; 1 GiB lets the largest benchmark step (W3_clip, ~500 MiB, mostly
  /// 64 MiB matrices) run without page faults, where 256 MiB did not.
  static let shared: BufferPool = {
    let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
    return BufferPool(maxBytes: min(1 << 30, physical / 16), minBytes: 1 << 20)
  }()

  /// Alignment of every buffer, for vector loads.
  static let alignment = 64

  /// A free buffer; only ever touched under the lock.
  private struct Block: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let capacity: Int
  }

  private struct State {
    /// Free buffers, oldest first.
    var free: [Block] = []
    /// Their total size.
    var bytes = 0
  }

  private let state = Mutex(State())
  /// Most bytes kept.
  let maxBytes: Int
  /// Smallest buffer kept.
  let minBytes: Int

  init(maxBytes: Int, minBytes: Int) {
    self.maxBytes = maxBytes
    self.minBytes = minBytes
  }

  deinit {
    state.withLock { s in
      for block in s.free { block.pointer.deallocate() }
    }
  }

  /// Bytes currently kept (for tests and measurements).
  var pooledBytes: Int { state.withLock { $0.bytes } }

  /// A buffer of `capacity` bytes, aligned to ``alignment`` (to ``hugePage`` from that size
  /// on): the most recently freed one of that size, or a new one. Contents undefined.
  func allocate(capacity: Int) -> UnsafeMutableRawPointer {
    if capacity >= minBytes {
      let block: Block? = state.withLock { s in
        guard let i = s.free.lastIndex(where: { $0.capacity == capacity }) else { return nil }
        s.bytes -= capacity
        return s.free.remove(at: i)
      }
      if let block { return block.pointer }
    }
    guard capacity >= Self.hugePage else {
      return UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.alignment)
    }
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.hugePage)
    #if os(Linux)
      _ = madvise(pointer, capacity, MADV_HUGEPAGE)  // advice only: where it is not taken, 4 KiB pages
    #endif
    return pointer
  }

  /// Buffers of at least this size start on a 2 MiB boundary and, on Linux, ask for
  /// transparent huge pages (`MADV_HUGEPAGE`: most kernels give them only on request): one
  /// TLB entry per 2 MiB instead of per 4 KiB for the large streams a loss reads and writes,
  /// and one page fault instead of 512 (docs/performance.md, "Memory").
  static let hugePage = 2 << 20

  /// Takes back a buffer from ``allocate(capacity:)`` that nothing references any more:
  /// keeps it (dropping the oldest buffers if over `maxBytes`) or frees it.
  func recycle(_ pointer: UnsafeMutableRawPointer, capacity: Int) {
    guard capacity >= minBytes, capacity <= maxBytes else { return pointer.deallocate() }
    let evicted: [Block] = state.withLock { s in
      s.free.append(Block(pointer: pointer, capacity: capacity))
      s.bytes += capacity
      var dropped = 0
      var bytes = s.bytes
      while bytes > maxBytes {
        bytes -= s.free[dropped].capacity
        dropped += 1
      }
      s.bytes = bytes
      defer { s.free.removeFirst(dropped) }
      return Array(s.free.prefix(dropped))
    }
    for block in evicted { block.pointer.deallocate() }
  }
}
