import Foundation

/// Utility builtins: `print str assert warn help timeit len`.
extension Builtins {
  static func registerUtilities(in r: Registry) {
    r.builtin("print", ["values..."], category: "utility",
              doc: "print(a, b, …): writes the values separated by spaces, then a newline. A 0-d tensor prints as a plain number.") { a in
      let parts = try a.list(0).map { try a.evaluator.display($0) }
      a.evaluator.output(parts.joined(separator: " ") + "\n")
      return .none
    }
    r.builtin("str", ["x"], category: "utility", doc: "str(x): the text print would show for x.") { a in
      .string(try a.evaluator.display(a.values[0]))
    }
    r.builtin("len", ["x"], category: "utility", doc: "len(x): the number of items of a list, entries of a dict, characters of a string, or the first axis of a tensor.") { a in
      switch a.values[0] {
      case .list(let xs): return .tensor(a.tracer.weakScalar(Double(xs.count)))
      case .dict(let d): return .tensor(a.tracer.weakScalar(Double(d.count)))
      case .string(let s): return .tensor(a.tracer.weakScalar(Double(s.count)))
      default:
        let x = try a.tensor(0)
        guard let n = x.shape.first else { throw a.error(0, "has no length (it is 0-d)") }
        return .tensor(a.tracer.weakScalar(Double(n)))
      }
    }
    r.builtin("assert", ["cond", "message=\"assertion failed\""], category: "utility",
              doc: "assert(cond, message=\"assertion failed\"): raises an error with message unless cond holds (a Bool, or a tensor whose elements are all nonzero).") { a in
      let holds: Bool
      switch a.values[0] {
      case .bool(let b): holds = b
      case .none: holds = false
      default: holds = try a.evaluator.materialize(a.tensor(0)).scalars.allSatisfy { $0 != 0 }
      }
      guard holds else { throw LossLangError(.runtime, "assertion failed: \(try a.string(1))") }
      return .none
    }
    r.builtin("warn", ["message"], category: "utility",
              doc: "warn(message): reports message as a warning at this call and goes on: once per place (a loop repeating it warns once), on standard error from the losslang command and the REPL, to the host's warning handler when embedded. Inside a prelude function it is located at the user's call.") { a in
      a.warn(try a.string(0))
      return .none
    }
    r.builtin("help", ["name"], category: "utility",
              doc: "help(name): prints the signature and documentation of a function or constant (the value or its name as a string).") { a in
      if let text = constantHelp(a.values[0], in: a.evaluator.globals) {
        a.evaluator.output(text + "\n")
        return .none
      }
      let f: Function
      switch a.values[0] {
      case .function(let g): f = g
      case .string(let s):
        guard case .function(let g) = try a.evaluator.lookup(s, in: a.evaluator.globals) else {
          throw a.error(0, "'\(s)' is not a function")
        }
        f = g
      default: throw a.error(0, "must be a function or a name")
      }
      a.evaluator.output(helpText(f) + "\n")
      return .none
    }
    r.builtin("timeit", ["f", "n=10"], category: "utility",
              doc: "timeit(f, n=10): calls f() once to warm up (and waits for the native kernels it started compiling), then n times, computing every tensor it returns; the median time in seconds.") { a in
      let f = try a.function(0)
      let n = try a.int(1)
      guard n >= 1 else { throw a.error(1, "must be at least 1") }
      try a.evaluator.force(a.evaluator.call(f, []))
      a.evaluator.context.waitForNativeCompiles()
      var times: [Double] = []
      for _ in 0..<n {
        let start = DispatchTime.now().uptimeNanoseconds
        try a.evaluator.force(a.evaluator.call(f, []))
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
      times.sort()
      let median = n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2
      return .tensor(a.tracer.weakScalar(median))
    }
  }

  /// The text `help` shows: signature, then the documentation.
  static func helpText(_ f: Function) -> String {
    f.doc.isEmpty ? f.signature : f.signature + "\n" + f.doc
  }
}

extension Evaluator {
  /// The text `print` shows for a value.
  func display(_ v: RuntimeValue) throws -> String {
    try checkWalkable(v)
    return try displayChecked(v)
  }

  /// The most items (at every nesting level) a value may have for printing, comparing or
  /// computing it: a list that shares itself (`xs = [xs, xs]` in a loop) can be
  /// exponentially large.
  static let maxWalkItems = 1 << 22

  /// Throws unless walking `v` visits at most `maxWalkItems` items (stops counting early).
  func checkWalkable(_ v: RuntimeValue) throws {
    var budget = Self.maxWalkItems
    func visit(_ v: RuntimeValue) throws {
      let items: [RuntimeValue]
      switch v {
      case .list(let xs): items = xs
      case .dict(let d): items = d.values
      default: return
      }
      budget -= items.count
      guard budget >= 0 else {
        throw LossLangError(.runtime, "the value is too large to print, compare or compute: more than \(Self.maxWalkItems) nested items")
      }
      for item in items { try visit(item) }
    }
    try visit(v)
  }

  private func displayChecked(_ v: RuntimeValue) throws -> String {
    switch v {
    case .tensor, .string:
      return try export(v).description
    case .bool, .none, .function, .optimizer:
      return try export(v).description
    case .list(let items):
      return "[" + (try items.map(displayItem)).joined(separator: ", ") + "]"
    case .dict(let d):
      return try Value.dictText(d, displayItem)
    }
  }

  /// An item inside a list or dict as `print` shows it: strings quoted.
  private func displayItem(_ item: RuntimeValue) throws -> String {
    if case .string(let s) = item { return ASTPrinter.quote(s) }
    return try displayChecked(item)
  }

  /// Computes every tensor in a value together, so that a loss and its gradients share
  /// one plan (`timeit`, returning values to Swift).
  func force(_ v: RuntimeValue) throws {
    try checkWalkable(v)
    var nodes: [Node] = []
    func collect(_ v: RuntimeValue) {
      switch v {
      case .tensor(let n): if n.value == nil { nodes.append(n) }
      case .list(let items): items.forEach(collect)
      case .dict(let d): d.values.forEach(collect)
      default: break
      }
    }
    collect(v)
    if !nodes.isEmpty { _ = try materialize(nodes) }
  }
}
