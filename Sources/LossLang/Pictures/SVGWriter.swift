/// Builds the text of an SVG (XML) document: elements with attributes and text, every value
/// escaped, numbers written compactly and locale-independently.
///
/// Attribute values and text are escaped (`&` `<` `>` `"` `'` as entities) and characters
/// XML 1.0 does not allow (control characters other than tab, line feed and carriage
/// return; U+FFFE, U+FFFF) are replaced by U+FFFD, so any user text gives a well-formed
/// document. Elements are indented two spaces per level.
struct SVGWriter {
  /// The document so far.
  private(set) var text = ""
  /// The names of the elements opened and not yet closed.
  private var open: [String] = []

  /// An attribute: its name and its (unescaped) value.
  typealias Attribute = (name: String, value: String)

  /// Starts the document with the XML declaration.
  init() {
    text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  }

  /// Opens element `name` with `attributes`; ``close()`` ends it.
  mutating func open(_ name: String, _ attributes: [Attribute] = []) {
    line("<\(name)\(Self.attributeText(attributes))>")
    open.append(name)
  }

  /// Closes the element opened last.
  mutating func close() {
    guard let name = open.popLast() else { return }
    line("</\(name)>")
  }

  /// Writes element `name` with `attributes` and, when given, `content` as its text.
  mutating func element(_ name: String, _ attributes: [Attribute] = [], content: String? = nil) {
    let start = "<\(name)\(Self.attributeText(attributes))"
    guard let content else { return line(start + "/>") }
    line(start + ">" + Self.escape(content) + "</\(name)>")
  }

  /// Appends one indented line.
  private mutating func line(_ body: String) {
    text += String(repeating: "  ", count: open.count) + body + "\n"
  }

  /// The attributes as ` name="value"` pairs.
  private static func attributeText(_ attributes: [Attribute]) -> String {
    attributes.map { " \($0.name)=\"\(escape($0.value))\"" }.joined()
  }

  /// `text` safe as XML character data and as a quoted attribute value.
  static func escape(_ text: String) -> String {
    // Most values (numbers, colours, class names) are plain printable ASCII: as they are.
    let plain = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }
    if plain { return text }
    var escaped = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&apos;"
      default:
        let v = scalar.value
        let allowed = v >= 0x20 ? v != 0xFFFE && v != 0xFFFF : v == 0x9 || v == 0xA || v == 0xD
        escaped.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
      }
    }
    return escaped
  }

  /// `value` rounded to two decimals without trailing zeros (`12.5`, `3`, `-0.25`), with a
  /// `.` whatever the locale; values beyond ±1e9 (never a coordinate after clipping) are
  /// written as ±1e9, and NaN as 0.
  static func number(_ value: Double) -> String {
    let bounded = value.isNaN ? 0 : Swift.min(Swift.max(value, -1e9), 1e9)
    let hundredths = Int((bounded * 100).rounded())
    let whole = hundredths.magnitude / 100
    let fraction = hundredths.magnitude % 100
    let sign = hundredths < 0 ? "-" : ""
    switch fraction {
    case 0: return "\(sign)\(whole)"
    case let f where f % 10 == 0: return "\(sign)\(whole).\(f / 10)"
    case let f: return "\(sign)\(whole).\(f < 10 ? "0" : "")\(f)"
    }
  }

  /// `values` as numbers separated by commas (`stroke-dasharray`, `viewBox` use spaces).
  static func numbers(_ values: [Double], separator: String = ",") -> String {
    values.map(number).joined(separator: separator)
  }
}
