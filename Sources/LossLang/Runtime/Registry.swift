/// The one table of named functions: builtins, prelude losses and plugin functions alike.
///
/// `help`, argument checking, the REPL's completion and `:losses` all read it.
public final class Registry {
  /// Where a function comes from.
  enum Origin: String {
    case builtin, prelude, plugin
  }

  /// A registered function with its metadata.
  struct Entry {
    let function: Function
    /// A family name for listings: "elementwise", "reduction", "loss", …
    let category: String
    let origin: Origin
  }

  private(set) var entries: [String: Entry] = [:]

  /// What `function(_:)` found for each symbol id, filled as names are looked up and
  /// cleared when a function is registered. Only `function(_:)` and `register` touch it,
  /// so it skips dynamic exclusivity checks.
  @exclusivity(unchecked) private var resolved: [Resolution] = []

  /// A remembered lookup of one symbol.
  private enum Resolution {
    case unknown, absent
    case found(Function)
  }

  /// Adds or replaces a function.
  func register(_ function: Function, category: String, origin: Origin) {
    entries[function.name] = Entry(function: function, category: category, origin: origin)
    resolved.removeAll()
  }

  /// The entry for a name.
  func lookup(_ name: String) -> Entry? { entries[name] }

  /// The function registered under `name`: `lookup(name.text)?.function`, remembered by
  /// symbol id so that the interpreter's name lookups need not hash the name.
  func function(_ name: Symbol) -> Function? {
    if name.id < resolved.count {
      switch resolved[name.id] {
      case .found(let f): return f
      case .absent: return nil
      case .unknown: break
      }
    } else {
      resolved += repeatElement(.unknown, count: name.id + 1 - resolved.count)
    }
    let f = entries[name.text]?.function
    resolved[name.id] = f.map { .found($0) } ?? .absent
    return f
  }

  /// Registers a builtin from a compact parameter list such as `["x", "axis=none", "keepdims=false"]`;
  /// parameters after a `"*"` entry are keyword-only, as in Python.
  func builtin(
    _ name: String, _ parameters: [String], category: String, doc: String,
    _ body: @escaping (inout Arguments) throws -> RuntimeValue
  ) {
    var specs = parameters.filter { $0 != "*" }.map(ParameterSpec.init(compact:))
    if let star = parameters.firstIndex(of: "*") {
      for i in star..<specs.count { specs[i].isKeywordOnly = true }
    }
    register(Function(name: name, parameters: specs, body: .builtin(body), doc: doc), category: category, origin: .builtin)
  }

  /// Makes `alias` name the same function as `name`.
  func alias(_ alias: String, to name: String) {
    guard let e = entries[name] else { return }
    let f = e.function
    register(Function(name: alias, parameters: f.parameters, body: f.body, doc: f.doc), category: e.category, origin: e.origin)
  }
}

extension ParameterSpec {
  /// Parses `"name"`, `"name=default"` (number, string, true/false/none) or `"name..."`.
  init(compact: String) {
    if compact.hasSuffix("...") {
      self.init(name: String(compact.dropLast(3)), defaultValue: .variadic)
      return
    }
    let parts = compact.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else {
      self.init(name: compact, defaultValue: .required)
      return
    }
    let text = parts[1]
    let value: RuntimeValue
    switch text {
    case "none": value = .none
    case "true": value = .bool(true)
    case "false": value = .bool(false)
    default:
      if let d = Double(text) {
        value = .tensor(Node(constant: Tensor(scalar: d, dtype: .float64), isWeak: true))
      } else {
        value = .string(text.trimmingCharacters(in: ["\""]))
      }
    }
    self.init(name: parts[0], defaultValue: .value(value, text: text))
  }
}
