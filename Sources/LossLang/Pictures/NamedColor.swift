/// Colour names as matplotlib accepts them, resolved to `#rrggbb`.
///
/// Accepted: `#rrggbb` (either case), the cycle references `C0`…`C9`, the tab10 names
/// (`tab:blue` …), matplotlib's one-letter base colours (`b g r c m y k w`, with its values:
/// `g` is `#008000`, `c` `#00bfbf`) and a set of common CSS4 names.
enum NamedColor {
  /// The one-letter base colours and the CSS4 names LossLang knows.
  static let names: [String: String] = [
    "b": "#0000ff", "g": "#008000", "r": "#ff0000", "c": "#00bfbf",
    "m": "#bf00bf", "y": "#bfbf00", "k": "#000000", "w": "#ffffff",
    "black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000",
    "blue": "#0000ff", "gray": "#808080", "grey": "#808080", "orange": "#ffa500",
    "purple": "#800080", "brown": "#a52a2a", "pink": "#ffc0cb", "olive": "#808000",
    "cyan": "#00ffff", "magenta": "#ff00ff", "yellow": "#ffff00", "navy": "#000080",
    "teal": "#008080", "lightgray": "#d3d3d3", "darkgray": "#a9a9a9",
  ]

  /// The tab10 names in cycle order (`tab:blue` is `C0`).
  static let tableauNames = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"]

  /// `name` as `#rrggbb` (lower case), or an error saying which forms are accepted.
  static func hex(_ name: String) throws(LossLangError) -> String {
    let lowered = name.lowercased()
    if let hex = names[lowered] { return hex }
    if lowered.hasPrefix("tab:"), let index = tableauNames.firstIndex(of: String(lowered.dropFirst(4))) {
      return ColorCycle.color(at: index)
    }
    if name.count == 2, name.first == "C", let digit = name.last?.wholeNumberValue {
      return ColorCycle.color(at: digit)
    }
    let digits = lowered.dropFirst()
    if lowered.first == "#", digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) { return lowered }
    throw LossLangError(
      .runtime,
      "unknown colour \"\(name)\"; use \"#rrggbb\", \"C0\"…\"C9\", \"tab:blue\" or a name such as \"red\"")
  }
}
