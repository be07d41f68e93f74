/// One term of a derivative written as LossLang: an operation over earlier terms (by id in
/// its `DerivativeExpression`), with the shape it has when evaluated.
///
/// The shape is the term's *natural* shape: what evaluating its text gives. It may be smaller
/// than the graph node it stands for, but always broadcasts to it (an `expand` is shown as
/// its input), so elementwise consumers see the same values.
struct DerivativeTerm: Hashable {
  /// What the term computes.
  enum Kind: Hashable {
    /// A number literal (negative ones print with a unary minus).
    case number(Double)
    /// A name in the caller's scope, or verbatim source such as a tensor literal `[1, 2]`.
    case name(String)
    /// `-x`.
    case negate(Int)
    /// `a op b`.
    case binary(DerivativeOperator, Int, Int)
    /// `function(arguments…, extras…)`: `extras` are verbatim trailing arguments such as
    /// `[2, 3]`, `axis=1` or `keepdims=true`.
    case call(String, [Int], extras: [String])
    /// `[a, b, …]`: a list of terms (the first argument of `concat`).
    case list([Int])
    /// `x[index]`, with the index written verbatim.
    case index(Int, String)
  }

  /// What the term computes.
  let kind: Kind
  /// The shape evaluating the term's text gives.
  let shape: [Int]

  /// The value when the term is a number literal.
  var number: Double? {
    if case .number(let v) = kind { return v }
    return nil
  }
}

/// The binary operators a derivative uses, with LossLang's precedence (larger binds tighter).
enum DerivativeOperator: String, Hashable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", matmul = "@", power = "^"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="

  /// The binding strength in LossLang's grammar: comparisons 3, `+ -` 4, `* / @` 5,
  /// unary minus 6, `^` 7.
  var precedence: Int {
    switch self {
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: 3
    case .add, .subtract: 4
    case .multiply, .divide, .matmul: 5
    case .power: 7
    }
  }

  /// Whether the values compare (the result is a bool tensor).
  var isComparison: Bool { precedence == 3 }

  /// The operator for a graph comparison; nil for arithmetic.
  init?(comparison op: BinaryOp) {
    switch op {
    case .equal: self = .equal
    case .notEqual: self = .notEqual
    case .less: self = .less
    case .lessEqual: self = .lessEqual
    case .greater: self = .greater
    case .greaterEqual: self = .greaterEqual
    default: return nil
    }
  }

  /// Applies a comparison to two numbers (1 for true, 0 for false).
  func compare(_ a: Double, _ b: Double) -> Double? {
    switch self {
    case .equal: a == b ? 1 : 0
    case .notEqual: a != b ? 1 : 0
    case .less: a < b ? 1 : 0
    case .lessEqual: a <= b ? 1 : 0
    case .greater: a > b ? 1 : 0
    case .greaterEqual: a >= b ? 1 : 0
    default: nil
    }
  }
}
