/// A dictionary with string keys that keeps its insertion order: LossLang's dict value
/// (`{"w": w, "b": b}`), as Python's `dict` behaves.
///
/// Setting an existing key replaces its value in place, keeping its position.
public struct OrderedDict<Element> {
  /// The keys, in insertion order.
  public private(set) var keys: [String] = []
  /// The values, in the order of `keys`.
  public private(set) var values: [Element] = []
  /// Each key's position in `keys`.
  private var positions: [String: Int] = [:]

  /// An empty dict.
  public init() {}

  /// A dict of `pairs` in their order; a repeated key keeps its first position and last value.
  public init(_ pairs: [(key: String, value: Element)]) {
    for (key, value) in pairs { self[key] = value }
  }

  /// The number of entries.
  public var count: Int { keys.count }

  /// The entries in order.
  public var pairs: [(key: String, value: Element)] { Array(zip(keys, values)) }

  /// The value for `key`, or nil; setting appends a new key or replaces an existing value.
  public subscript(key: String) -> Element? {
    get { positions[key].map { values[$0] } }
    set {
      if let i = positions[key] {
        if let newValue { values[i] = newValue } else { remove(at: i) }
      } else if let newValue {
        positions[key] = keys.count
        keys.append(key)
        values.append(newValue)
      }
    }
  }

  /// The same keys with each value transformed.
  public func mapValues<T>(_ transform: (Element) throws -> T) rethrows -> OrderedDict<T> {
    var result = OrderedDict<T>()
    result.keys = keys
    result.positions = positions
    result.values = try values.map(transform)
    return result
  }

  /// Removes the entry at position `i`, shifting the positions after it.
  private mutating func remove(at i: Int) {
    positions[keys[i]] = nil
    keys.remove(at: i)
    values.remove(at: i)
    for j in i..<keys.count { positions[keys[j]] = j }
  }
}

extension OrderedDict: Sendable where Element: Sendable {}
