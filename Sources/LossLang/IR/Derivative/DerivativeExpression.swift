/// A derivative being written as LossLang: a DAG of terms, each stored once (hash-consed),
/// so a subexpression that occurs twice is one term, which the printer names once.
struct DerivativeExpression {
  /// The terms, each after the terms it uses.
  private(set) var terms: [DerivativeTerm] = []
  /// The id of each distinct term.
  private var ids: [DerivativeTerm: Int] = [:]

  /// The id of `term`, adding it when it is new.
  mutating func add(_ term: DerivativeTerm) -> Int {
    if let id = ids[term] { return id }
    terms.append(term)
    ids[term] = terms.count - 1
    return terms.count - 1
  }

  /// The term with id `id`.
  subscript(id: Int) -> DerivativeTerm { terms[id] }

  /// The number a term is, if it is a literal number.
  func number(_ id: Int) -> Double? { terms[id].number }

  /// The shape of term `id` when evaluated.
  func shape(_ id: Int) -> [Int] { terms[id].shape }

  /// Whether term `id` is the literal `value`.
  func isNumber(_ id: Int, _ value: Double) -> Bool { number(id) == value }
}
