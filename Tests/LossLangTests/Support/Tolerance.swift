@testable import LossLang

/// How far a computed value may be from the expected one: |got - want| <= max(rtol * |want|, atol).
///
/// The one closeness rule of the tests. A NaN expected value is matched only by NaN and an
/// infinite one only by itself; `Tolerance.exact` accepts equal values alone.
struct Tolerance: Sendable, CustomStringConvertible {
  /// The error allowed relative to the magnitude of the expected value.
  let rtol: Double
  /// The error always allowed (the floor near zero).
  let atol: Double

  init(rtol: Double = 0, atol: Double = 0) {
    (self.rtol, self.atol) = (rtol, atol)
  }

  /// Equal values only (NaN matching NaN).
  static let exact = Tolerance()

  /// The error allowed at `want`.
  func allowance(at want: Double) -> Double {
    Swift.max(rtol * Swift.abs(want), atol)
  }

  /// The error of `got` in units of the allowance: 0 for equal values, at most 1 when
  /// accepted, infinity when a NaN or an infinity is not matched.
  func ratio(_ got: Double, _ want: Double) -> Double {
    if got == want || (got.isNaN && want.isNaN) { return 0 }
    if !got.isFinite || !want.isFinite { return .infinity }
    return Swift.abs(got - want) / allowance(at: want)
  }

  /// Whether `got` is within the tolerance of `want`.
  func accepts(_ got: Double, _ want: Double) -> Bool {
    ratio(got, want) <= 1
  }

  /// Whether two tensors have the same shape and `got` is within the tolerance of `want` everywhere.
  func accepts(_ got: Tensor, _ want: Tensor) -> Bool {
    got.shape == want.shape && mismatch(got.scalars, want.scalars) == nil
  }

  /// Whether the lists have as many tensors and each of `got` is accepted for its `want`.
  func accepts(_ got: [Tensor], _ want: [Tensor]) -> Bool {
    got.count == want.count && zip(got, want).allSatisfy { accepts($0, $1) }
  }

  /// nil when `got` agrees with `want` element by element; otherwise a message naming the
  /// worst element (largest error relative to its allowance) by its index in `shape`
  /// (flat when no shape is given) and counting the elements out of tolerance.
  func mismatch(_ got: [Double], _ want: [Double], shape: [Int]? = nil) -> String? {
    guard got.count == want.count else { return "\(got.count) elements, expected \(want.count)" }
    var (worst, worstRatio, failures) = (0, 0.0, 0)
    for i in got.indices {
      let r = ratio(got[i], want[i])
      if r > 1 { failures += 1 }
      if r > worstRatio { (worst, worstRatio) = (i, r) }
    }
    guard failures > 0 else { return nil }
    let (g, w) = (got[worst], want[worst])
    let place = shape.map { "index \(MultiIndex.of(worst, in: $0)) (flat \(worst))" } ?? "flat index \(worst)"
    return "worst at \(place): expected \(w), got \(g), |diff| \(Swift.abs(g - w)) > tolerance \(allowance(at: w)) "
      + "(\(self)); \(failures) of \(got.count) elements out of tolerance"
  }

  var description: String { "rtol \(rtol), atol \(atol)" }
}
