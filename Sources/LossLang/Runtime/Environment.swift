/// A scope of name bindings, chained to its parent.
///
/// Function calls create a scope; `if`/`for` blocks share their function's scope (as in
/// Python), so a loop can update an accumulator defined before it.
final class Environment {
  private var values: [String: RuntimeValue] = [:]
  /// The enclosing scope, or nil at the root.
  let parent: Environment?

  init(parent: Environment? = nil) { self.parent = parent }

  /// The value bound to `name` here or in an enclosing scope.
  func lookup(_ name: String) -> RuntimeValue? {
    var scope: Environment? = self
    while let s = scope {
      if let v = s.values[name] { return v }
      scope = s.parent
    }
    return nil
  }

  /// Binds `name` in this scope.
  func define(_ name: String, _ value: RuntimeValue) { values[name] = value }

  /// Removes a binding from this scope.
  func remove(_ name: String) { values[name] = nil }

  /// Removes every binding from this scope, breaking the reference cycles between a scope
  /// and the functions defined in it (each function holds its defining scope).
  func removeAll() { values.removeAll() }

  /// The names bound in this scope (not its parents), sorted.
  var names: [String] { values.keys.sorted() }
}
