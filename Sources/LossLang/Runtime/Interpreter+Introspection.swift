import Foundation

/// What the REPL's completion, `:help`, `:losses` and `:vars` read: the functions of the one
/// Registry (builtins, prelude, plugins) and the user's global bindings.
extension Interpreter {
  /// Every public function: registered builtins, prelude and plugin functions, and the
  /// prelude's aliases (`mse = mse_loss`), sorted by name. Names starting with `_` are private.
  public func functions() -> [FunctionInfo] {
    var result: [String: FunctionInfo] = [:]
    for (name, entry) in evaluator.registry.entries where !name.hasPrefix("_") {
      result[name] = FunctionInfo(entry.function, name: name, category: entry.category, origin: Origin(entry.origin))
    }
    for name in preludeScope.names where !name.hasPrefix("_") && result[name] == nil {
      guard case .function(let f)? = preludeScope.lookup(name) else { continue }
      let target = evaluator.registry.lookup(f.name)
      result[name] = FunctionInfo(
        f, name: name, category: target?.category ?? "loss", origin: .prelude, aliasOf: f.name == name ? nil : f.name)
    }
    return result.values.sorted { $0.name < $1.name }
  }

  /// The names of the built-in constants (`pi inf nan`), which completion offers.
  public var constantNames: [String] { Builtins.constants.map(\.name) }

  /// The function a name refers to in the session (a user `def` shadows a builtin), or nil.
  public func function(named name: String) -> FunctionInfo? {
    guard case .function(let f)? = try? evaluator.lookup(name, in: evaluator.globals) else { return nil }
    if let entry = evaluator.registry.lookup(f.name), entry.function === f {
      return FunctionInfo(f, name: name, category: entry.category, origin: Origin(entry.origin),
                          aliasOf: f.name == name ? nil : f.name)
    }
    let isUser = evaluator.globals.names.contains(name)
    return FunctionInfo(f, name: name, category: isUser ? "user" : "loss", origin: isUser ? .user : .prelude)
  }

  /// The user's global bindings (not the prelude's), sorted by name, each summarized without computing it.
  public func bindings() -> [BindingInfo] {
    evaluator.globals.names.compactMap { name in
      evaluator.globals.lookup(name).map { BindingInfo(name: name, summary: ValueSummary($0)) }
    }
  }

  /// Removes a user binding (the prelude and builtins cannot be removed).
  public func unbind(_ name: String) { evaluator.globals.remove(name) }
}

/// Where a function comes from.
public enum Origin: String, Sendable {
  /// Native code in the library.
  case builtin
  /// The standard prelude, written in LossLang.
  case prelude
  /// A plugin.
  case plugin
  /// Defined by the user in this session.
  case user

  init(_ origin: Registry.Origin) {
    switch origin {
    case .builtin: self = .builtin
    case .prelude: self = .prelude
    case .plugin: self = .plugin
    }
  }
}

/// One parameter of a function, as written in its signature.
public struct ParameterInfo: Sendable {
  /// The parameter's name, usable as a keyword argument (`gamma=`).
  public let name: String
  /// The default as source text (`"mean"`, `2.0`, `none`), or nil when the argument is required.
  public let defaultText: String?
  /// Whether it collects the remaining positional arguments (`print(values...)`).
  public let isVariadic: Bool
}

/// A function's metadata: what `help`, completion and `:losses` show.
public struct FunctionInfo: Sendable {
  /// The name it is reached by (an alias's own name).
  public let name: String
  /// `name(a, b=2)` with the function's own name.
  public let signature: String
  /// Its parameters, in order.
  public let parameters: [ParameterInfo]
  /// The documentation text (`##` comments of a `def`, or a builtin's doc).
  public let doc: String
  /// The registry's family: "loss", "elementwise", "reduction", "user", …
  public let category: String
  /// For prelude functions the module defining it ("regression", "classification", …),
  /// otherwise the category.
  public let family: String
  /// Where it comes from.
  public let origin: Origin
  /// For an alias, the name of the function it stands for.
  public let aliasOf: String?

  init(_ f: Function, name: String, category: String, origin: Origin, aliasOf: String? = nil) {
    self.name = name
    self.signature = f.signature
    self.parameters = f.parameters.map { p in
      switch p.defaultValue {
      case .required: ParameterInfo(name: p.name, defaultText: nil, isVariadic: false)
      case .value(_, let text), .expression(_, let text): ParameterInfo(name: p.name, defaultText: text, isVariadic: false)
      case .variadic: ParameterInfo(name: p.name, defaultText: nil, isVariadic: true)
      }
    }
    self.doc = f.doc
    self.category = category
    self.origin = origin
    self.aliasOf = aliasOf
    if case .user(let body, _) = f.body, body.span.file.path.hasPrefix(Evaluator.stdlibDirectory) {
      let file = body.span.file.path.split(separator: "/").last.map(String.init) ?? category
      family = file.hasSuffix(".loss") ? String(file.dropLast(5)) : file
    } else {
      family = category
    }
  }

  /// The doc's first sentence (or its part before a `: `), without a leading signature:
  /// a one-line summary for tables such as `:losses`.
  public var summary: String {
    let lines = doc.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    var text = Substring(lines.joined(separator: " "))
    if text.hasPrefix(signature.prefix { $0 != "(" } + "("), let close = text.range(of: "): ") {
      text = text[close.upperBound...]
    }
    var end = text.endIndex
    var i = text.startIndex
    while i < text.endIndex {
      let next = text.index(after: i)
      if text[i] == ":", next < text.endIndex, text[next] == " ", text.distance(from: text.startIndex, to: i) >= 3 {
        end = i
        break
      }
      if text[i] == ".", next < text.endIndex, text[next] == " ", Self.endsSentence(text[..<i], text[next...]) {
        end = i
        break
      }
      i = next
    }
    return text[..<end].trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".,;:—-")))
  }

  /// Whether a `. ` between `before` and `after` ends a sentence (not `et al. 2017`, `e.g. x`).
  private static func endsSentence(_ before: Substring, _ after: Substring) -> Bool {
    let word = before.split(separator: " ").last.map { String($0).lowercased() } ?? ""
    guard !["al", "e.g", "i.e", "cf", "vs", "eq", "approx"].contains(word) else { return false }
    return after.dropFirst().first.map { $0.isUppercase || $0 == "`" } ?? true
  }
}

/// A user binding and what its value is.
public struct BindingInfo: Sendable {
  /// The global name.
  public let name: String
  /// Its kind, shape and dtype.
  public let summary: ValueSummary
}
