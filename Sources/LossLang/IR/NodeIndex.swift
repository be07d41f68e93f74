/// A map from graph nodes (by identity) to positions, for graph walks.
///
/// Walks run on every materialization and every `grad`, over graphs of a few dozen nodes:
/// open addressing keyed by the object address with a multiplicative hash costs a fraction
/// of a `Dictionary<ObjectIdentifier, Int>` lookup, which hashes with SipHash.
struct NodeIndex {
  /// Object addresses; 0 marks an empty slot (no object lives at address 0).
  private var keys: [UInt]
  private var values: [Int]
  /// `keys.count` is `1 << bits`.
  private var bits: Int
  /// Number of nodes held.
  private(set) var count = 0

  /// An empty index with room for `capacity` nodes before it grows.
  init(capacity: Int = 8) {
    var bits = 4
    while (1 << bits) < 2 * capacity { bits += 1 }
    self.bits = bits
    keys = [UInt](repeating: 0, count: 1 << bits)
    values = [Int](repeating: 0, count: 1 << bits)
  }

  private static func address(_ node: Node) -> UInt { UInt(bitPattern: ObjectIdentifier(node)) }

  /// The first slot to probe for `key`.
  private func home(_ key: UInt) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt(64 - bits))
  }

  /// The slot holding `key`, or the empty slot where it would go.
  private func slot(_ key: UInt) -> Int {
    let mask = keys.count - 1
    var i = home(key)
    while keys[i] != 0 && keys[i] != key { i = (i + 1) & mask }
    return i
  }

  /// The position stored for `node`, if any.
  subscript(node: Node) -> Int? {
    let i = slot(Self.address(node))
    return keys[i] == 0 ? nil : values[i]
  }

  /// Whether `node` has a position.
  func contains(_ node: Node) -> Bool { keys[slot(Self.address(node))] != 0 }

  /// Stores `value` for `node`, replacing an earlier one.
  mutating func set(_ node: Node, _ value: Int) {
    let key = Self.address(node)
    var i = slot(key)
    if keys[i] == 0 {
      if 2 * (count + 1) > keys.count {
        grow()
        i = slot(key)
      }
      keys[i] = key
      count += 1
    }
    values[i] = value
  }

  /// Doubles the table and re-inserts every entry.
  private mutating func grow() {
    let oldKeys = keys, oldValues = values
    bits += 1
    keys = [UInt](repeating: 0, count: 1 << bits)
    values = [Int](repeating: 0, count: 1 << bits)
    for (key, value) in zip(oldKeys, oldValues) where key != 0 {
      let i = slot(key)
      keys[i] = key
      values[i] = value
    }
  }
}
