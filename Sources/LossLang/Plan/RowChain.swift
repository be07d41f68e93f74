/// Row chains as the planner makes them: blocking of the kernels the partition chained (see
/// `RowChainGrouping` for which kernels join a chain, `RowChain+Run.swift` for running one).
extension RowChain {
  /// Elements per kernel and block to aim for: a few operands of this size (256 KiB of
  /// float32) stay in a 1 MiB L2, and a block's kernel calls cost little beside its work
  /// (W2's 8192 rows of 1000: 64 rows per block took 2–3% less than 32).
  static let blockElements = 64 << 10
  /// The smallest chain worth blocking: elements of its largest kernel.
  static let minElements = 1 << 16

  /// A chain of `kernels` and the reshapes `views` of their values, or nil if it is too
  /// small to gain from blocking.
  init?(_ kernels: [KernelStep], views: [(slot: Int, input: Int, shape: [Int])]) {
    guard kernels.count > 1, let rows = kernels.first?.shape.first, rows > 0 else { return nil }
    let perRow = kernels.map { $0.shape.dropFirst().reduce(1, *) }.max() ?? 0
    guard perRow * rows >= Self.minElements else { return nil }
    self.kernels = kernels
    runners = kernels.map(KernelRunner.init)
    self.views = views
    rowsPerBlock = max(1, Self.blockElements / max(perRow, 1))
    unreadStores = Self.unreadStores(kernels, views: views)
  }

  /// Per kernel, a bit per result that no later kernel reads, directly or through views
  /// (of views).
  static func unreadStores(_ kernels: [KernelStep], views: [(slot: Int, input: Int, shape: [Int])]) -> [UInt64] {
    let viewed = reshaped(views)
    var readLater = Set<Int>()
    var unread = [UInt64](repeating: 0, count: kernels.count)
    for k in kernels.indices.reversed() {
      for (i, result) in kernels[k].results.enumerated() where i < 64 && !readLater.contains(result) {
        unread[k] |= 1 << UInt64(i)
      }
      for operand in kernels[k].operands {
        var slot: Int? = operand
        while let s = slot, readLater.insert(s).inserted { slot = viewed[s] }
      }
    }
    return unread
  }

  /// The slot each view reshapes, by the view's slot.
  static func reshaped(_ views: [(slot: Int, input: Int, shape: [Int])]) -> [Int: Int] {
    Dictionary(views.map { ($0.slot, $0.input) }, uniquingKeysWith: { first, _ in first })
  }
}
