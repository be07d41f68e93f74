/// A deterministic random-number generator that gives the same numbers on every platform.
///
/// The core is xoshiro256** (Blackman and Vigna) seeded through SplitMix64. Normals use
/// Marsaglia's polar method with a logarithm built from IEEE `+ - * /` and `sqrt` only,
/// so no platform `libm` difference can change a result. `scripts/rng_reference.py` is an
/// independent Python implementation of the same algorithm that produced the test values.
struct RandomGenerator: Sendable {
  /// The 256-bit xoshiro state.
  private var state: (UInt64, UInt64, UInt64, UInt64)
  /// The second normal from the last polar-method pair, not yet returned.
  private var spareNormal: Double?

  /// Seeds the state with four successive SplitMix64 outputs of `seed`.
  init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// The next 64 random bits (xoshiro256**).
  mutating func nextBits() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  /// A uniform Double in [0, 1) with 53 random bits.
  mutating func nextUniform() -> Double {
    Double(nextBits() >> 11) * 0x1.0p-53
  }

  /// A standard normal Double (Marsaglia's polar method; pairs are used in order).
  mutating func nextNormal() -> Double {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    while true {
      let u = 2 * nextUniform() - 1
      let v = 2 * nextUniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let factor = (-2 * RandomGenerator.log(s) / s).squareRoot()
        spareNormal = v * factor
        return u * factor
      }
    }
  }

  /// An unbiased integer in [0, n) by Lemire's multiply-and-reject method; 0 when n <= 1.
  mutating func nextInt(below n: Int) -> Int {
    guard n > 1 else { return 0 }
    let bound = UInt64(n)
    let threshold = (0 &- bound) % bound
    while true {
      let (high, low) = nextBits().multipliedFullWidth(by: bound)
      if low >= threshold { return Int(high) }
    }
  }

  /// A random permutation of `0..<n` by a Fisher–Yates shuffle (`i` from `n-1` down to 1
  /// swaps with `nextInt(below: i + 1)`), the same on every platform.
  mutating func permutation(_ n: Int) -> [Int] {
    var values = Array(0..<max(n, 0))
    for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, nextInt(below: i + 1)) }
    return values
  }

  /// Rotates bits left by `k`.
  private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
  }

  /// The natural logarithm of a positive normal Double, from basic arithmetic only.
  ///
  /// Writes `x = m * 2^e` with `m` in [sqrt(1/2), sqrt(2)), then sums the series
  /// `log m = 2 * atanh(r)` with `r = (m - 1) / (m + 1)` (|r| < 0.172) in a fixed order.
  static func log(_ x: Double) -> Double {
    var e = Int(x.exponent)
    var m = x.significand
    if m > 1.4142135623730951 {
      m /= 2
      e += 1
    }
    let r = (m - 1) / (m + 1)
    let r2 = r * r
    var term = r
    var sum = 0.0
    for k in 0..<14 {
      sum += term / Double(2 * k + 1)
      term *= r2
    }
    return 2 * sum + Double(e) * 0.6931471805599453
  }
}
