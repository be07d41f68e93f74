/// A rectangle of character cells, each with an optional colour, that the text renderer
/// assembles a figure in before printing it.
///
/// Writing outside the rectangle is ignored, so nothing drawn can make a line longer than
/// ``width``. Printed rows drop their trailing blanks; with colours on, each run of
/// neighbouring cells of one colour is wrapped once in that colour's ANSI codes, and
/// uncoloured cells (frame, tick labels, titles) get no codes at all.
struct CellGrid {
  /// The width in cells (columns).
  let width: Int
  /// The height in cells (rows).
  let height: Int
  /// The characters, row by row from the top.
  private var characters: [Character]
  /// The colour of each cell as `#rrggbb`, or nil for the terminal's default.
  private var colors: [String?]

  /// A blank grid of `width × height` cells (a negative size counts as 0).
  init(width: Int, height: Int) {
    self.width = max(width, 0)
    self.height = max(height, 0)
    characters = Array(repeating: " ", count: self.width * self.height)
    colors = Array(repeating: nil, count: self.width * self.height)
  }

  /// Sets the cell at `column`, `row` (from the top); outside the grid nothing happens. A
  /// control character (a newline, a tab, an escape in a user's title) becomes a space, so
  /// that no text can break a row or bring its own terminal codes.
  mutating func put(_ character: Character, column: Int, row: Int, color: String? = nil) {
    guard (0..<width).contains(column), (0..<height).contains(row) else { return }
    let isControl = character.unicodeScalars.contains { $0.properties.generalCategory == .control }
    let character = isControl ? " " : character
    characters[row * width + column] = character
    colors[row * width + column] = character == " " ? nil : color
  }

  /// Writes `text` from `column` rightwards in `row`, one character per cell; the part
  /// outside the grid is dropped.
  mutating func write(_ text: String, column: Int, row: Int, color: String? = nil) {
    for (offset, character) in text.enumerated() {
      put(character, column: column + offset, row: row, color: color)
    }
  }

  /// The character of a cell (a space outside the grid).
  func character(column: Int, row: Int) -> Character {
    guard (0..<width).contains(column), (0..<height).contains(row) else { return " " }
    return characters[row * width + column]
  }

  /// The colour of a cell (nil outside the grid).
  func color(column: Int, row: Int) -> String? {
    guard (0..<width).contains(column), (0..<height).contains(row) else { return nil }
    return colors[row * width + column]
  }

  /// Copies `other` into this grid with its top-left cell at `column`, `row`.
  mutating func paste(_ other: CellGrid, column: Int, row: Int) {
    for r in 0..<other.height {
      for c in 0..<other.width {
        let index = r * other.width + c
        put(other.characters[index], column: column + c, row: row + r, color: other.colors[index])
      }
    }
  }

  /// The rows as text without trailing blanks, with ANSI colour codes when `colors` is true.
  func lines(colors withColors: Bool) -> [String] {
    (0..<height).map { row in
      let start = row * width
      var end = start + width
      while end > start, characters[end - 1] == " " { end -= 1 }
      guard withColors else { return String(characters[start..<end]) }
      var text = ""
      var runStart = start
      while runStart < end {
        var runEnd = runStart + 1
        while runEnd < end, colors[runEnd] == colors[runStart] { runEnd += 1 }
        let run = String(characters[runStart..<runEnd])
        text += colors[runStart].flatMap(ANSIColor.init(hex:))?.wrap(run) ?? run
        runStart = runEnd
      }
      return text
    }
  }
}
