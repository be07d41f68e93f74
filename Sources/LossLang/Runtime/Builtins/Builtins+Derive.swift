/// The `derive` builtin: a gradient written as a LossLang expression.
extension Builtins {
  static func registerDerive(in r: Registry) {
    r.builtin("derive", ["y", "x"], category: "autograd",
              doc: "derive(y, x): dy/dx as a string of LossLang over the names y was computed from (x must be a tensor bound to a name), simplified: constants folded, ·1, +0, ^1 and zero terms removed, mean shown as division by the element count, repeated subexpressions bound once (\"u = sigmoid(z); u * (1 - u)\"). Run in the same scope it equals grad(y, x). derive(mean((p - t)^2), p) with 4-element p gives \"(p - t) / 2\".") { a in
      let y = try a.tensor(0)
      guard y.count == 1 else { throw a.error(0, "must be a scalar, but its shape is \(y.shape)") }
      let scope = a.evaluator.callScopes.last ?? a.evaluator.globals
      let names = scopeNames(scope)
      guard case .tensor(let x) = a.values[1] else { throw a.error(1, "must be a tensor, got \(a.values[1].typeName)") }
      guard let xName = names[ObjectIdentifier(x)] else {
        throw a.error(1, "must be a tensor bound to a name: derive writes dy/dx over the names in scope")
      }
      let (order, _) = Node.walk(from: [y]) { $0.stamp < x.stamp }
      guard order.contains(where: { $0 === x }) else { throw a.error(0, "does not depend on '\(xName)'") }
      return .string(try a.tracer.derivativeText(of: y, wrt: x, names: names) { scope.lookup($0) != nil })
    }
  }

  /// The name of each tensor visible from `scope` (an inner binding hides an outer one of
  /// the same name; `_`, the REPL's last value, is left out).
  private static func scopeNames(_ scope: Environment) -> [ObjectIdentifier: String] {
    var names: [ObjectIdentifier: String] = [:]
    var level: Environment? = scope
    while let env = level {
      for name in env.names where name != "_" {
        if case .tensor(let node)? = scope.lookup(name), names[ObjectIdentifier(node)] == nil {
          names[ObjectIdentifier(node)] = name
        }
      }
      level = env.parent
    }
    return names
  }
}
