/// Argument accessors of the drawing builtins: data series, optional strings, the current
/// figure, the warning about points left out.
extension Arguments {
  /// The numbers of a data argument, in order: a number, a list of numbers or a 0-/1-D
  /// tensor of any dtype (bools count 0 and 1). A 2-D tensor is an error, not a set of series.
  func points(_ i: Int) throws -> [Double] {
    let expected = "must be a number, a list of numbers or a 1-D tensor"
    switch values[i] {
    case .tensor, .bool: break
    case .list(let items):
      if let bad = items.first(where: { !$0.isNumber }) {
        throw error(i, "\(expected), got a list holding a \(bad.typeName)")
      }
    default: throw error(i, "\(expected), got \(values[i].typeName)")
    }
    guard let node = try evaluator.tensorValue(values[i]) else { throw error(i, "\(expected), got \(values[i].typeName)") }
    guard node.shape.count <= 1 else { throw error(i, "\(expected), got a tensor of shape \(node.shape)") }
    return try evaluator.materialize(node).scalars
  }

  /// The argument as a string, or nil when it is `none`.
  func optionalString(_ i: Int) throws -> String? { isNone(i) ? nil : try string(i) }

  /// Whether parameter `i` holds its default value: no argument gave it, or one gave the
  /// same default text (`style="-"`). A 0-d tensor default counts only as the very node.
  func isDefault(_ i: Int) -> Bool {
    guard case .value(let standard, _) = function.parameters[i].defaultValue else { return false }
    switch (standard, values[i]) {
    case (.none, .none): return true
    case (.string(let a), .string(let b)): return a == b
    case (.tensor(let a), .tensor(let b)): return a === b
    default: return false
    }
  }

  /// Warns at the call that `skipped` of the `total` points (or bars, values) given are left
  /// out of the drawing because they are NaN or infinite; nothing when none is.
  func warnSkipped(_ skipped: Int, of total: Int, _ what: String) {
    guard skipped > 0 else { return }
    warn("\(function.name): skipped \(skipped) of \(total) \(what) that are NaN or infinite")
  }

  /// Applies `change` to the current figure's current panel, as ``CurrentFigure/updateAxes(_:_:)``
  /// with this builtin's name.
  @discardableResult
  func updateAxes<T>(_ change: (inout Axes) throws(LossLangError) -> T) throws -> T {
    try evaluator.currentFigure.updateAxes(function.name, change)
  }
}

extension RuntimeValue {
  /// Whether the value is one number: a 0-d tensor or a bool.
  fileprivate var isNumber: Bool {
    switch self {
    case .tensor(let n): n.shape.isEmpty
    case .bool: true
    default: false
    }
  }
}
