import Foundation
import Testing

@testable import LossLang

/// `RandomGenerator` against values from scripts/rng_reference.py, plus sanity statistics.
@Suite struct RandomGeneratorTests {
  @Test func bitsMatchReference() {
    var rng = RandomGenerator(seed: 42)
    let bits = (0..<4).map { _ in rng.nextBits() }
    #expect(bits == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1])
  }

  @Test func uniformMatchesReference() {
    var rng = RandomGenerator(seed: 42)
    let values = (0..<4).map { _ in rng.nextUniform() }
    #expect(values == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394, 0.9246929453253876])
  }

  @Test func normalMatchesReferenceExactly() {
    var rng = RandomGenerator(seed: 7)
    let values = (0..<5).map { _ in rng.nextNormal() }
    #expect(
      values == [
        0.9643618527255183, -1.0637531974798473, -0.30393012386565665, -1.0989693210013465, 0.30479435832638674,
      ])
  }

  @Test func intMatchesReference() {
    var rng = RandomGenerator(seed: 0)
    #expect((0..<10).map { _ in rng.nextInt(below: 10) } == [6, 7, 1, 4, 7, 9, 4, 5, 8, 9])
    var big = RandomGenerator(seed: .max)
    let huge = (1 << 62) + 1
    let values = (0..<3).map { _ in big.nextInt(below: huge) }
    #expect(values == [2_582_049_355_089_292_098, 3_447_896_251_576_078_092, 3_374_559_124_024_387_913])
  }

  @Test func sameSeedSameSequenceDifferentSeedDifferent() {
    var a = RandomGenerator(seed: 123)
    var b = RandomGenerator(seed: 123)
    var c = RandomGenerator(seed: 124)
    let sa = (0..<100).map { _ in a.nextNormal() }
    #expect(sa == (0..<100).map { _ in b.nextNormal() })
    #expect(sa != (0..<100).map { _ in c.nextNormal() })
  }

  @Test func uniformStatistics() {
    var rng = RandomGenerator(seed: 1)
    let n = 100_000
    let values = (0..<n).map { _ in rng.nextUniform() }
    #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
    let mean = values.reduce(0, +) / Double(n)
    #expect(Tolerance(atol: 0.005).accepts(mean, 0.5))
  }

  @Test func normalStatistics() {
    var rng = RandomGenerator(seed: 2)
    let n = 100_000
    let values = (0..<n).map { _ in rng.nextNormal() }
    let mean = values.reduce(0, +) / Double(n)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    #expect(Tolerance(atol: 0.02).accepts(mean, 0))
    #expect(Tolerance(atol: 0.02).accepts(variance, 1))
    #expect(values.allSatisfy { $0.isFinite })
  }

  @Test func intIsInRangeAndCoversIt() {
    var rng = RandomGenerator(seed: 3)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[rng.nextInt(below: 7)] += 1 }
    #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
    #expect(rng.nextInt(below: 1) == 0)
    #expect(rng.nextInt(below: 0) == 0)
    #expect(rng.nextInt(below: -5) == 0)
  }

  @Test func logMatchesLibm() {
    for x in [1e-300, 1e-10, 0.1, 0.5, 0.7071, 0.99, 1, 2, 1e10] {
      let expected = Foundation.log(x)
      #expect(Tolerance(rtol: 4e-16, atol: 4e-16).accepts(RandomGenerator.log(x), expected))
    }
  }
}
