/// Dict builtins: `keys values items has merge` (`len` and `d["key"]` work on dicts too).
extension Builtins {
  static func registerDict(in r: Registry) {
    r.builtin("keys", ["d"], category: "dict", doc: "keys(d): the list of d's keys, in insertion order.") { a in
      .list(try a.dict(0).keys.map { .string($0) })
    }
    r.builtin("values", ["d"], category: "dict", doc: "values(d): the list of d's values, in insertion order.") { a in
      .list(try a.dict(0).values)
    }
    r.builtin("items", ["d"], category: "dict",
              doc: "items(d): the list of d's [key, value] pairs, in insertion order (for [k, v] in items(d) { … }).") { a in
      .list(try a.dict(0).pairs.map { .list([.string($0.key), $0.value]) })
    }
    r.builtin("has", ["d", "key"], category: "dict", doc: "has(d, key): whether the dict d has the key.") { a in
      .bool(try a.dict(0)[a.string(1)] != nil)
    }
    r.builtin("merge", ["d1", "d2"], category: "dict",
              doc: "merge(d1, d2): a new dict with d1's entries, then d2's; d2 wins on shared keys (Python's d1 | d2).") { a in
      var merged = try a.dict(0)
      for (key, value) in try a.dict(1).pairs { merged[key] = value }
      return .dict(merged)
    }
  }
}

extension Arguments {
  /// The argument as a dict.
  func dict(_ i: Int) throws -> OrderedDict<RuntimeValue> {
    guard case .dict(let d) = values[i] else { throw error(i, "must be a dict, got \(values[i].typeName)") }
    return d
  }
}
