/// List builtins: `append extend`. Lists are immutable values: each returns a new list.
/// A tensor passed as a list stands for the list of its rows (its first axis), as in `for`.
extension Builtins {
  static func registerLists(in r: Registry) {
    r.builtin("append", ["list", "x"], category: "list",
              doc: "append(list, x): a new list with the items of list, then x (list itself is unchanged).") { a in
      .list(try a.list(0) + [a.values[1]])
    }
    r.builtin("extend", ["list", "items"], category: "list",
              doc: "extend(list, items): a new list with the items of list, then those of items (both unchanged).") { a in
      .list(try a.list(0) + a.list(1))
    }
  }
}
