/// The hazards one primitive's values show (`--lint`): `log` of 0 or of a negative number,
/// a division by 0, `==` between floats. Pure functions of the node and its values.
enum ValueHazards {
  /// What `node`, computed from `inputs`, shows: each hazard with its message.
  static func findings(_ node: Node, _ inputs: [Tensor]) -> [(LintHazard, String)] {
    switch node.op {
    case .unary(.log): return logFindings(inputs[0])
    case .unary(.reciprocal): return division(by: inputs[0]).map { [$0] } ?? []
    case .binary(.div): return division(by: inputs[1]).map { [$0] } ?? []
    case .binary(.equal): return equality("==", inputs[0], inputs[1]).map { [$0] } ?? []
    case .binary(.notEqual): return equality("!=", inputs[0], inputs[1]).map { [$0] } ?? []
    default: return []
    }
  }

  /// `log` of 0 (-inf there) and of a negative number (NaN there), with the first negative.
  private static func logFindings(_ x: Tensor) -> [(LintHazard, String)] {
    var zeros = 0
    var negatives = 0
    var firstNegative = 0.0
    for i in 0..<x.count {
      let v = x[flat: i]
      if v == 0 { zeros += 1 } else if v < 0 {
        if negatives == 0 { firstNegative = v }
        negatives += 1
      }
    }
    var found: [(LintHazard, String)] = []
    if zeros > 0 {
      found.append((.logOfZero, "`log` of 0\(LintHazard.place(zeros, of: x.count)) gives -inf"))
    }
    if negatives > 0 {
      let value = TensorFormatter.scalar(firstNegative, dtype: x.dtype)
      let (first, example) = x.count == 1 ? (value, "") : ("a negative number", " (\(value) first)")
      found.append((.logOfNegative, "`log` of \(first)\(LintHazard.place(negatives, of: x.count))\(example) gives NaN"))
    }
    return found
  }

  /// A division (or `reciprocal`) by a divisor holding 0.
  private static func division(by d: Tensor) -> (LintHazard, String)? {
    var zeros = 0
    for i in 0..<d.count where d[flat: i] == 0 { zeros += 1 }
    guard zeros > 0 else { return nil }
    return (.divisionByZero, "division by 0\(LintHazard.place(zeros, of: d.count)) gives inf or NaN")
  }

  /// `==`/`!=` where both sides are floating-point and each holds a number that is not whole
  /// (comparing with a whole number, as in `t == 0` or a class index, is exact and fine).
  /// Shown: the first pair of such numbers that differ (a near miss), else the first pair.
  private static func equality(_ op: String, _ a: Tensor, _ b: Tensor) -> (LintHazard, String)? {
    guard a.dtype != .bool, b.dtype != .bool, let pair = fractionPair(a, b) else { return nil }
    let (x, y) = (TensorFormatter.scalar(pair.0, dtype: a.dtype), TensorFormatter.scalar(pair.1, dtype: b.dtype))
    return (.floatEquality, "`\(op)` between floats (\(x) and \(y)) compares exactly")
  }

  /// Two elements met by the comparison, neither a whole number: the first that differ, else
  /// the first. Sides of different shapes that do not pair elementwise show each side's first.
  private static func fractionPair(_ a: Tensor, _ b: Tensor) -> (Double, Double)? {
    let paired = a.count == b.count || a.count == 1 || b.count == 1
    guard paired else { return firstFraction(a).flatMap { x in firstFraction(b).map { (x, $0) } } }
    var first: (Double, Double)?
    for i in 0..<max(a.count, b.count) {
      let (x, y) = (a[flat: a.count == 1 ? 0 : i], b[flat: b.count == 1 ? 0 : i])
      guard isFraction(x), isFraction(y) else { continue }
      if x != y { return (x, y) }
      if first == nil { first = (x, y) }
    }
    return first
  }

  /// The first element that is not a whole number.
  private static func firstFraction(_ t: Tensor) -> Double? {
    (0..<t.count).lazy.map { t[flat: $0] }.first(where: isFraction)
  }

  /// Whether `v` is finite and not a whole number.
  private static func isFraction(_ v: Double) -> Bool { v.isFinite && v.rounded() != v }
}
