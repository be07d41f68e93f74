/// A scope of name bindings, chained to its parent.
///
/// Function calls create a scope; `if`/`for` blocks share their function's scope (as in
/// Python), so a loop can update an accumulator defined before it.
///
/// A call's scope holds a handful of names, so bindings live in two parallel arrays searched
/// linearly (comparing short strings is cheaper than hashing them); a scope that grows past
/// `indexThreshold` names (the prelude, a script's globals) also keeps a hash index.
final class Environment {
  private var keys: [String] = []
  private var values: [RuntimeValue] = []
  /// Position of each name in `keys`, once there are more than `indexThreshold` names.
  private var index: [String: Int]?
  /// The enclosing scope, or nil at the root.
  let parent: Environment?

  /// Above this many names, lookups go through a hash index.
  private static let indexThreshold = 12

  init(parent: Environment? = nil) { self.parent = parent }

  /// A scope binding distinct `names` to `values` (a function call's parameters).
  init(parent: Environment, names: [String], values: [RuntimeValue]) {
    self.parent = parent
    self.keys = names
    self.values = values
    if names.count > Self.indexThreshold { index = Dictionary(uniqueKeysWithValues: zip(names, names.indices)) }
  }

  /// The position of `name` in this scope's arrays.
  private func position(of name: String) -> Int? {
    if let index { return index[name] }
    for i in keys.indices where keys[i] == name { return i }
    return nil
  }

  /// The value bound to `name` here or in an enclosing scope.
  func lookup(_ name: String) -> RuntimeValue? {
    var scope: Environment? = self
    while let s = scope {
      if let i = s.position(of: name) { return s.values[i] }
      scope = s.parent
    }
    return nil
  }

  /// Binds `name` in this scope.
  func define(_ name: String, _ value: RuntimeValue) {
    if let i = position(of: name) {
      values[i] = value
      return
    }
    keys.append(name)
    values.append(value)
    if index != nil {
      index?[name] = keys.count - 1
    } else if keys.count > Self.indexThreshold {
      index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices))
    }
  }

  /// Removes a binding from this scope.
  func remove(_ name: String) {
    guard let i = position(of: name) else { return }
    keys.remove(at: i)
    values.remove(at: i)
    if index != nil { index = Dictionary(uniqueKeysWithValues: zip(keys, keys.indices)) }
  }

  /// Removes every binding from this scope, breaking the reference cycles between a scope
  /// and the functions defined in it (each function holds its defining scope).
  func removeAll() {
    keys.removeAll()
    values.removeAll()
    index = nil
  }

  /// The names bound in this scope (not its parents), sorted.
  var names: [String] { keys.sorted() }
}
