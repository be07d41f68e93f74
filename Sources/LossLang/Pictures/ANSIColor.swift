/// A 24-bit ("true colour") terminal foreground colour, for the text renderer's cells when
/// the host says standard output is a terminal (its `outputIsTerminal` option).
///
/// A text is wrapped as `ESC [ 38 ; 2 ; R ; G ; B m` + text + `ESC [ 0 m` (SGR 38;2 sets the
/// foreground from decimal red, green and blue; SGR 0 resets every attribute). 24-bit colour
/// is chosen over the 256-colour palette so that a series has exactly the colour its SVG
/// has; terminals without it (rare today) show the nearest colour or none.
struct ANSIColor: Equatable, Sendable {
  /// The red, green and blue components, 0…255.
  let red: UInt8, green: UInt8, blue: UInt8

  /// The code that resets the colour (and every other attribute).
  static let reset = "\u{1B}[0m"

  /// A colour from its components.
  init(red: UInt8, green: UInt8, blue: UInt8) {
    (self.red, self.green, self.blue) = (red, green, blue)
  }

  /// A colour from a hex string as matplotlib writes one, `#rrggbb` or the short `#rgb`
  /// (each digit doubled), either case; nil for anything else.
  init?(hex: String) {
    guard hex.first == "#" else { return nil }
    var digits = Array(hex.dropFirst())
    if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
    guard digits.count == 6, digits.allSatisfy(\.isHexDigit) else { return nil }
    let component = { (i: Int) in UInt8(String(digits[i..<i + 2]), radix: 16) }
    guard let r = component(0), let g = component(2), let b = component(4) else { return nil }
    self.init(red: r, green: g, blue: b)
  }

  /// The code that sets this colour as the foreground.
  var foreground: String { "\u{1B}[38;2;\(red);\(green);\(blue)m" }

  /// `text` in this colour followed by the reset code; an empty text stays empty.
  func wrap(_ text: String) -> String {
    text.isEmpty ? "" : foreground + text + Self.reset
  }
}
