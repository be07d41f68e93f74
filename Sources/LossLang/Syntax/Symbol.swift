import Synchronization

/// An identifier interned once per process: equal names share one small integer `id`.
///
/// The parser interns every name it reads, so the interpreter finds a binding by comparing
/// or indexing integers (`Environment`, `Registry.function(_:)`) rather than by hashing
/// and comparing strings on every access.
struct Symbol: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
  /// The name's position in the process-wide table: dense, from 0.
  let id: Int
  /// The name as written.
  let text: String

  /// The symbol of `text`, interning it on first use.
  init(_ text: String) {
    self.id = Self.table.withLock { table in
      if let id = table[text] { return id }
      let id = table.count
      table[text] = id
      return id
    }
    self.text = text
  }

  init(stringLiteral text: String) { self.init(text) }

  /// The symbol of `text` if it was ever interned; nil means no scope can bind it.
  static func existing(_ text: String) -> Symbol? {
    Self.table.withLock { $0[text] }.map { Symbol(id: $0, text: text) }
  }

  private init(id: Int, text: String) {
    self.id = id
    self.text = text
  }

  static func == (a: Symbol, b: Symbol) -> Bool { a.id == b.id }

  func hash(into hasher: inout Hasher) { hasher.combine(id) }

  var description: String { text }

  /// Every interned name and its id.
  private static let table = Mutex<[String: Int]>([:])
}
