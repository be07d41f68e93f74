import Foundation
import Testing

@testable import LossLang

/// `BufferPool`: reuse, its cap, budget charging, and kernels that fill recycled buffers.
struct BufferPoolTests {
  static let mib = 1 << 20

  @Test func reusesTheMostRecentlyReleasedBufferOfTheSameSize() {
    let pool = BufferPool(maxBytes: 8 * Self.mib, minBytes: Self.mib)
    let a = pool.allocate(capacity: 2 * Self.mib)
    let b = pool.allocate(capacity: 2 * Self.mib)
    pool.recycle(a, capacity: 2 * Self.mib)
    pool.recycle(b, capacity: 2 * Self.mib)
    #expect(pool.pooledBytes == 4 * Self.mib)
    let other = pool.allocate(capacity: 3 * Self.mib)
    #expect(other != a && other != b, "a buffer of another size is not handed out")
    #expect(Int(bitPattern: other) % BufferPool.alignment == 0)
    #expect(pool.allocate(capacity: 2 * Self.mib) == b)
    #expect(pool.allocate(capacity: 2 * Self.mib) == a)
    #expect(pool.pooledBytes == 0)
    for (p, size) in [(a, 2), (b, 2), (other, 3)] { pool.recycle(p, capacity: size * Self.mib) }
  }

  @Test func buffersOfAHugePageOrMoreStartOnAHugePageBoundary() throws {
    // Huge pages map 2 MiB-aligned ranges only, so a large buffer must start on one for the
    // kernel to back it with them (whether it does depends on the machine's THP setting).
    let pool = BufferPool(maxBytes: 0, minBytes: Self.mib)
    for size in [2 * Self.mib, 5 * Self.mib + 64, 32 * Self.mib] {
      let p = pool.allocate(capacity: size)
      #expect(Int(bitPattern: p) % BufferPool.hugePage == 0, "\(size) bytes")
      p.storeBytes(of: 1, toByteOffset: size - 1, as: UInt8.self)
      pool.recycle(p, capacity: size)
    }
    let small = pool.allocate(capacity: Self.mib)
    #expect(Int(bitPattern: small) % BufferPool.alignment == 0)
    pool.recycle(small, capacity: Self.mib)
  }

  /// The `THPeligible` flag of the mapping holding `address` in /proc/self/smaps (Linux).
  static func hugePageEligible(_ address: UnsafeMutableRawPointer) throws -> Bool? {
    // Read to the end: /proc files report a size of 0.
    let file = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
    defer { try? file.close() }
    let smaps = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
    let target = UInt(bitPattern: Int(bitPattern: address))
    var inside = false
    for line in smaps.split(separator: "\n") {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
        let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
        inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
      } else if inside, fields.first == "THPeligible:" {
        return fields.last == "1"
      }
    }
    return nil
  }

  @Test func buffersOfAHugePageOrMoreAskForHugePages() throws {
    // The advice, as the kernel records it for the mapping; whether huge pages then back it
    // depends on free memory. Needs a kernel that gives them on request (or always).
    let setting = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
    try #require(setting.map { !$0.contains("[never]") } ?? false, "transparent huge pages are available")
    let pool = BufferPool(maxBytes: 0, minBytes: Self.mib)
    let p = pool.allocate(capacity: 8 * Self.mib)
    defer { pool.recycle(p, capacity: 8 * Self.mib) }
    p.storeBytes(of: 1, as: UInt8.self)
    #expect(try Self.hugePageEligible(p) == true)
  }

  @Test func keepsAtMostItsCapDroppingTheOldestFirst() {
    let pool = BufferPool(maxBytes: 8 * Self.mib, minBytes: Self.mib)
    let small = pool.allocate(capacity: Self.mib - 64)
    pool.recycle(small, capacity: Self.mib - 64)
    #expect(pool.pooledBytes == 0, "buffers under minBytes are freed")
    let huge = pool.allocate(capacity: 9 * Self.mib)
    pool.recycle(huge, capacity: 9 * Self.mib)
    #expect(pool.pooledBytes == 0, "a buffer over the cap is freed")
    let buffers = (0..<5).map { _ in pool.allocate(capacity: 2 * Self.mib) }
    for p in buffers { pool.recycle(p, capacity: 2 * Self.mib) }
    #expect(pool.pooledBytes == 8 * Self.mib)
    let kept = (0..<4).map { _ in pool.allocate(capacity: 2 * Self.mib) }
    #expect(Set(kept) == Set(buffers.dropFirst()), "the oldest buffer was the one dropped")
    #expect(pool.pooledBytes == 0)
    for p in kept { pool.recycle(p, capacity: 2 * Self.mib) }
  }

  /// Sizes no other test allocates, so the shared pool's buffers of them are one test's.
  static let oddSize = 3 * mib + 4160, budgetSize = oddSize + 64, zeroSize = oddSize + 128

  /// The buffer of a storage that has died by the time this returns.
  private func bufferOfDeadStorage(_ byteCount: Int) throws -> UnsafeMutableRawPointer {
    try TensorStorage(uninitializedByteCount: byteCount).pointer
  }

  @Test func aDeadTensorsBufferGoesBackToTheSharedPool() throws {
    let released = try bufferOfDeadStorage(Self.oddSize)
    let next = try TensorStorage(uninitializedByteCount: Self.oddSize)
    #expect(next.pointer == released)
    let alive = try TensorStorage(uninitializedByteCount: Self.oddSize)
    #expect(alive.pointer != next.pointer, "a buffer still referenced is never handed out")
  }

  @Test func liveAllocationsAreChargedToTheBudgetEvenWhenPooled() throws {
    let previous = AllocationBudget.current
    defer { AllocationBudget.install(previous) }
    let budget = AllocationBudget(limit: 3 * Self.budgetSize)
    AllocationBudget.install(budget)
    _ = try bufferOfDeadStorage(Self.budgetSize)
    #expect(budget.used == 0, "a freed buffer is credited")
    // The first reuses the pooled buffer: charged all the same.
    let live = try (0..<3).map { _ in try TensorStorage(uninitializedByteCount: Self.budgetSize) }
    #expect(budget.used == 3 * Self.budgetSize)
    #expect(throws: TensorError.self) { try bufferOfDeadStorage(Self.budgetSize) }
    withExtendedLifetime(live) {}
  }

  /// Fills `count` pooled buffers of `byteCount` bytes with NaN bit patterns and releases
  /// them, so the next allocations of that size start out as garbage.
  static func poison(byteCount: Int, count: Int = 4) throws {
    let storages = try (0..<count).map { _ in try TensorStorage(uninitializedByteCount: byteCount) }
    for s in storages { s.pointer.initializeMemory(as: UInt8.self, repeating: 0xFF, count: byteCount) }
  }

  @Test(arguments: KT.floatTypes)
  func zeroedAllocationsAreZeroEvenFromThePool(dtype: DType) throws {
    let shape = [Self.zeroSize / dtype.itemSize]
    try Self.poison(byteCount: Self.zeroSize)
    let zeros = try Tensor(zeros: shape, dtype: dtype)
    #expect(zeros.scalars.allSatisfy { $0 == 0 })
    try Self.poison(byteCount: Self.zeroSize)
    let storage = try TensorStorage(byteCount: Self.zeroSize)
    let bytes = UnsafeRawBufferPointer(start: storage.pointer, count: Self.zeroSize)
    #expect(bytes.allSatisfy { $0 == 0 })
  }

  @Test(.tags(.slow), arguments: KT.floatTypes)
  func kernelsOverwriteEveryElementOfARecycledOutput(dtype: DType) throws {
    let rows = 262_147, size = dtype.itemSize
    let xs = KT.rounded(SeededGenerator.values(rows * 3, seed: 3), dtype)
    let x = try KT.tensor(xs, [rows, 3], dtype)
    let row = { (r: Int) in Array(xs[(3 * r)..<(3 * r + 3)]) }

    try Self.poison(byteCount: rows * 3 * size)
    let transposed = try KernelProgram.copy(dtype: dtype).run(
      shape: [3, rows], operands: [KernelOperand(x, strides: [1, 3])]).stored[0]
    #expect(Self.firstMismatch(transposed, (0..<3).flatMap { c in (0..<rows).map { xs[3 * $0 + c] } }) == nil)

    try Self.poison(byteCount: rows * 3 * size)
    let sum = try Tensor.binary(.add, x, x)
    #expect(Self.firstMismatch(sum, xs.map { $0 + $0 }) == nil)

    try Self.poison(byteCount: rows * size)
    let maxima = try x.reduced(.max, axes: [1], keepdims: false)
    #expect(Self.firstMismatch(maxima, (0..<rows).map { row($0).max() ?? .nan }) == nil)

    try Self.poison(byteCount: rows * size)
    let argmax = try x.argReduce(max: true, axis: 1, keepdims: true)
    #expect(argmax.shape == [rows, 1])
    #expect(Self.firstMismatch(argmax, (0..<rows).map { r in Double(row(r).firstIndex(of: row(r).max() ?? 0) ?? -1) }) == nil)

    let indices = (0..<rows).map { (7 * $0 + 1) % (rows * 3) }
    try Self.poison(byteCount: rows * size)
    let gathered = try x.gathered(indices, shape: [rows])
    #expect(Self.firstMismatch(gathered, indices.map { xs[$0] }) == nil)

    let ones = try Tensor.full([rows], value: 1, dtype: dtype)
    let targets = (0..<rows).map { $0 % 5 == 0 ? 0 : 3 * $0 }
    try Self.poison(byteCount: rows * 3 * size)
    let scattered = try Tensor.scatterAdd(ones, indices: targets, shape: [rows * 3])
    var counts = [Double](repeating: 0, count: rows * 3)
    for t in targets { counts[t] += 1 }
    #expect(Self.firstMismatch(scattered, counts) == nil, "scatter-add starts from zeros, not the recycled contents")

    let head = try KT.tensor(Array(xs[0..<(3 * 1001)]), [1001, 3], dtype)
    try Self.poison(byteCount: (rows + 1001) * 3 * size)
    let joined = try Tensor.concat([x, head], axis: 0)
    #expect(Self.firstMismatch(joined, xs + xs[0..<(3 * 1001)]) == nil)
  }

  /// The first flat index where `got` differs from `want` (exactly), or nil; cheap to print,
  /// unlike a failed comparison of two arrays of a million elements.
  static func firstMismatch(_ got: Tensor, _ want: [Double]) -> Int? {
    guard got.count == want.count else { return -1 }
    return want.indices.first { got[flat: $0] != want[$0] }
  }

  /// Focal loss and both gradients, as W1 computes them.
  static let focalStep = """
    l = sigmoid_focal_loss(x, t, alpha=0.25, gamma=2.0, reduction="mean")
    [l, grad(l, [x, t])]
    """

  /// The loss and gradients as flat arrays of bit patterns, for exact comparison.
  static func bits(_ value: Value) -> [[UInt64]] {
    guard case .list(let items) = value, items.count == 2, case .list(let grads) = items[1] else { return [] }
    return ([items[0]] + grads).map { item in (item.tensor?.scalars ?? []).map(\.bitPattern) }
  }

  @Test(.tags(.slow), arguments: KT.floatTypes)
  func aLossInALoopMatchesAFreshInterpreter(dtype: DType) throws {
    let n = 300_007
    let x = try KT.tensor(SeededGenerator.values(n, -4, 4, seed: 11), [n], dtype)
    let t = try KT.tensor(SeededGenerator.values(n, 0, 1, seed: 12).map { $0.rounded() }, [n], dtype)
    let fresh = try Interpreter()
    fresh.bind("x", x)
    fresh.bind("t", t)
    let want = Self.bits(try fresh.eval(Self.focalStep))
    #expect(want.count == 3 && want[1].count == n)
    let looped = try Interpreter()
    looped.bind("x", x)
    looped.bind("t", t)
    for _ in 0..<3 {
      try Self.poison(byteCount: n * dtype.itemSize)
      let same = Self.bits(try looped.eval(Self.focalStep)) == want
      #expect(same, "the looped loss or a gradient differs from a fresh run")
    }
  }
}
