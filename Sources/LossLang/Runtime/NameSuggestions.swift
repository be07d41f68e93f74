/// "Did you mean" notes for unknown names and keyword arguments, and pointed hints for
/// Python and PyTorch spellings.
///
/// A known name is suggested when its edit distance to the unknown one (Levenshtein, an
/// adjacent transposition counting as one edit) is at most 2 and at most a third of the
/// unknown name's length: `softmx` → `softmax`, `gama` → `gamma`, `sofmtax` → `softmax`,
/// but a one- or two-letter name never gets a suggestion (`x` does not suggest `y`). The
/// closest name wins; among equally close ones, the alphabetically first. Names starting
/// with `_` are suggested only for a name that starts with `_`.
enum NameSuggestions {
  /// Notes for names a Python/PyTorch user writes that LossLang spells differently.
  static let pythonHints: [String: String] = [
    "True": "LossLang writes 'true'",
    "False": "LossLang writes 'false'",
    "None": "LossLang writes 'none'",
    "range": "write range(n) as 0..<n",
    "backward": "gradients are values: write grad(y, x) instead of y.backward()",
    "item": "no '.item()' is needed: a 0-d tensor already is a number",
  ]

  /// The parenthesized note for an unknown `name`: its Python hint, else the closest of
  /// `candidates`, else the empty string.
  static func note(for name: String, among candidates: some Sequence<String>) -> String {
    if let hint = pythonHints[name] { return " (\(hint))" }
    return closest(to: name, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
  }

  /// The candidate closest to `name` within the distance the rule above allows.
  static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    let typed = Array(name)
    let limit = min(2, typed.count / 3)
    guard limit > 0 else { return nil }
    var best: (distance: Int, name: String)?
    for candidate in candidates where candidate != name && (!candidate.hasPrefix("_") || name.hasPrefix("_")) {
      let other = Array(candidate)
      guard abs(other.count - typed.count) <= limit else { continue }
      let d = distance(typed, other)
      guard d <= limit else { continue }
      if let b = best, (b.distance, b.name) <= (d, candidate) { continue }
      best = (d, candidate)
    }
    return best?.name
  }

  /// The optimal-string-alignment distance: insertions, deletions, substitutions and
  /// swaps of two adjacent characters each cost one.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
        current[j] = d
      }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }
}
