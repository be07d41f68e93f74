/// The numerical hazards `--lint` reports (docs/lint.md describes each with a fix), and the
/// wording shared by their messages.
enum LintHazard: Hashable {
  /// `log` of 0 (-inf).
  case logOfZero
  /// `log` of a negative number (NaN).
  case logOfNegative
  /// A division whose divisor holds 0 (±inf or NaN).
  case divisionByZero
  /// `==` or `!=` between floating-point values that are not whole numbers.
  case floatEquality
  /// An infinite or NaN gradient of `sqrt` or `pow`.
  case singularGradient
  /// A loop whose carried values keep a history that grows.
  case growingLoopHistory
  /// A mean over no elements (NaN).
  case emptyMean
  /// A probability outside [0, 1] given to a cross-entropy.
  case probabilityOutOfRange

  /// `" at k of n elements"`, or nothing for a one-element value.
  static func place(_ count: Int, of total: Int) -> String {
    total == 1 ? "" : " at \(count) of \(total) elements"
  }
}
