/// A structural fingerprint of a live graph (see `LiveGraph.key`).
///
/// Hashing feeds a digest computed once from the tokens, so a cache lookup hashes one
/// word rather than the whole token list.
struct PlanKey: Hashable, Sendable {
  let tokens: [Int]
  /// A multiplicative digest of `tokens`.
  private let digest: Int

  init(tokens: [Int]) {
    self.tokens = tokens
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for t in tokens { h = (h ^ UInt64(bitPattern: Int64(t))) &* 0x0000_0100_0000_01B3 }
    digest = Int(truncatingIfNeeded: h)
  }

  static func == (a: PlanKey, b: PlanKey) -> Bool { a.digest == b.digest && a.tokens == b.tokens }

  func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}
