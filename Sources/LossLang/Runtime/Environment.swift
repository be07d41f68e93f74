/// A scope of name bindings, chained to its parent.
///
/// Function calls create a scope; `if`/`for` blocks share their function's scope (as in
/// Python), so a loop can update an accumulator defined before it.
///
/// Names are interned `Symbol`s. A call's scope holds a handful of names, so bindings live in
/// two parallel arrays searched linearly by symbol id; a scope that grows past
/// `indexThreshold` names (the prelude, a script's globals) also keeps a table from symbol
/// id to position, so a lookup there is one array read.
///
/// Its storage is only ever touched by these short methods, none of which calls out while
/// holding an access, so dynamic exclusivity checks (a runtime call per access, on every
/// name lookup) are turned off for it.
final class Environment {
  @exclusivity(unchecked) private var keys: [Symbol] = []
  @exclusivity(unchecked) private var values: [RuntimeValue] = []
  /// Once there are more than `indexThreshold` names: 1 + the position in `keys` of each
  /// symbol id, 0 for an unbound one (ids past the end are unbound too). Empty before.
  @exclusivity(unchecked) private var index: [Int32] = []
  /// The enclosing scope, or nil at the root.
  let parent: Environment?

  /// Above this many names, lookups go through the index.
  private static let indexThreshold = 12

  init(parent: Environment? = nil) { self.parent = parent }

  /// A scope binding distinct `names` to `values` (a function call's parameters).
  init(parent: Environment, names: [Symbol], values: [RuntimeValue]) {
    self.parent = parent
    self.keys = names
    self.values = values
    if names.count > Self.indexThreshold { rebuildIndex() }
  }

  /// The position of `name` in this scope's arrays.
  private func position(of name: Symbol) -> Int? {
    if !index.isEmpty {
      guard name.id < index.count else { return nil }
      let p = Int(index[name.id])
      return p > 0 ? p - 1 : nil
    }
    for i in keys.indices where keys[i].id == name.id { return i }
    return nil
  }

  /// The value bound to `name` here or in an enclosing scope.
  func lookup(_ name: Symbol) -> RuntimeValue? {
    var scope: Environment? = self
    while let s = scope {
      if let i = s.position(of: name) { return s.values[i] }
      scope = s.parent
    }
    return nil
  }

  /// The value bound to `name` here or in an enclosing scope.
  func lookup(_ name: String) -> RuntimeValue? {
    Symbol.existing(name).flatMap(lookup)
  }

  /// Binds `name` in this scope.
  func define(_ name: Symbol, _ value: RuntimeValue) {
    if let i = position(of: name) {
      values[i] = value
      return
    }
    keys.append(name)
    values.append(value)
    if !index.isEmpty {
      setIndex(name, keys.count)
    } else if keys.count > Self.indexThreshold {
      rebuildIndex()
    }
  }

  /// Binds `name` in this scope.
  func define(_ name: String, _ value: RuntimeValue) { define(Symbol(name), value) }

  /// Removes a binding from this scope.
  func remove(_ name: String) {
    guard let symbol = Symbol.existing(name), let i = position(of: symbol) else { return }
    keys.remove(at: i)
    values.remove(at: i)
    if !index.isEmpty { rebuildIndex() }
  }

  /// Removes every binding from this scope, breaking the reference cycles between a scope
  /// and the functions defined in it (each function holds its defining scope).
  func removeAll() {
    keys.removeAll()
    values.removeAll()
    index = []
  }

  /// The values bound in this scope (not its parents).
  var boundValues: [RuntimeValue] { values }

  /// The names bound in this scope (not its parents), sorted.
  var names: [String] { keys.map(\.text).sorted() }

  /// Records `1 + position` for `name` in the index, growing it to cover the id.
  private func setIndex(_ name: Symbol, _ entry: Int) {
    if name.id >= index.count { index += repeatElement(0, count: name.id + 1 - index.count) }
    index[name.id] = Int32(entry)
  }

  /// Indexes every key (an index of no keys stays empty, which means "not indexed").
  private func rebuildIndex() {
    index = []
    for (i, key) in keys.enumerated() { setIndex(key, i + 1) }
  }
}
