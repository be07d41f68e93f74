/// The tests' one random number generator: small, fast and reproducible (SplitMix64).
///
/// The same seed gives the same sequence on every platform, so a failing case is
/// reproduced by its seed alone. (The language's own `rand`/`randn` are another matter:
/// fixtures use those.)
struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniformly chosen element of `items`, which must not be empty.
  mutating func pick<T>(_ items: [T]) -> T {
    items[Int.random(in: 0..<items.count, using: &self)]
  }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool {
    Double.random(in: 0..<1, using: &self) < p
  }

  /// `count` values drawn uniformly from [lo, hi) by the generator of `seed`.
  static func values(_ count: Int, _ lo: Double = -5, _ hi: Double = 5, seed: UInt64 = 1) -> [Double] {
    var random = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Double.random(in: lo..<hi, using: &random) }
  }
}
