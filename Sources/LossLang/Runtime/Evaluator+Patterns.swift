/// Destructuring: binding the names of a pattern (`[a, [b, c]] = …`, `for x, y in …`) to
/// the items of a value.
extension Evaluator {
  /// Binds `pattern` to `value` in `env`: a name takes the whole value, a list pattern takes
  /// a list's items or a tensor's slices along its first axis, exactly as many as it names.
  func bind(_ pattern: Pattern, to value: RuntimeValue, in env: Environment) throws {
    switch pattern.kind {
    case .name(let name):
      if case .tensor(let n) = value { n.isBound = true }
      env.define(name, value)
    case .list(let targets):
      let items = try unpack(value, count: targets.count, at: pattern.span)
      for (target, item) in zip(targets, items) { try bind(target, to: item, in: env) }
    }
  }

  /// The `count` items of a list, or slices of a tensor along its first axis.
  private func unpack(_ value: RuntimeValue, count: Int, at span: SourceSpan) throws -> [RuntimeValue] {
    let found: Int
    switch value {
    case .list(let items):
      found = items.count
      if found == count { return items }
    case .tensor(let n) where !n.shape.isEmpty:
      found = n.shape[0]
      if found == count { return try unstack(n) }
    default:
      throw LossLangError(.runtime, "cannot unpack a \(value.typeName) into \(counted(count, "name"))", span: span)
    }
    throw LossLangError(.runtime, "cannot unpack \(counted(found, "value")) into \(counted(count, "name"))", span: span)
  }

  /// `1 name`, `2 names`.
  private func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
