import Testing

@testable import LossLang

/// Terminal colours for the text renderer: hex parsing and the SGR 38;2 (24-bit foreground)
/// and SGR 0 (reset) codes, as ECMA-48 and xterm define them.
@Suite struct ANSIColorTests {
  @Test func hexColoursParse() throws {
    // #1f77b4 (matplotlib's first cycle colour): 0x1f = 31, 0x77 = 119, 0xb4 = 180.
    let blue = try #require(ANSIColor(hex: "#1f77b4"))
    #expect(blue == ANSIColor(red: 31, green: 119, blue: 180))
    #expect(ANSIColor(hex: "#1F77B4") == blue, "either case")
    // The short form doubles each digit: #f80 is #ff8800.
    #expect(ANSIColor(hex: "#f80") == ANSIColor(red: 255, green: 0x88, blue: 0))
  }

  @Test func otherStringsAreNotColours() {
    for text in ["", "#", "1f77b4", "#1f77b", "#1f77b4ff", "#gg0000", "# 1f77b", "#1f77b\u{FF14}"] {
      #expect(ANSIColor(hex: text) == nil, "\(text)")
    }
  }

  @Test func wrappingSetsTheForegroundAndResets() throws {
    let blue = try #require(ANSIColor(hex: "#1f77b4"))
    // ESC [ 38 ; 2 ; r ; g ; b m sets the foreground; ESC [ 0 m resets.
    #expect(blue.wrap("\u{2801}") == "\u{1B}[38;2;31;119;180m\u{2801}\u{1B}[0m")
    #expect(ANSIColor.reset == "\u{1B}[0m")
    #expect(blue.wrap("") == "", "nothing to colour, no codes")
  }
}
