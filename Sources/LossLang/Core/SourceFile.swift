/// A named piece of LossLang source text, with a line table for locating offsets.
///
/// Offsets are counted in UTF-8 bytes from the start of the text; lines and
/// columns are 1-based, columns counted in characters.
public final class SourceFile: Sendable {
  /// The path shown in diagnostics (`<stdin>`, `<repl>`, `-e` or a file path).
  public let path: String
  /// The full text.
  public let text: String
  /// The source as UTF-8 bytes, which the lexer scans.
  let bytes: [UInt8]
  /// Byte offset where each line starts.
  private let lineStarts: [Int]

  /// Creates a source file from its path (for messages) and text.
  public init(path: String, text: String) {
    self.path = path
    self.text = text
    self.bytes = Array(text.utf8)
    var starts = [0]
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
    self.lineStarts = starts
  }

  /// The 1-based line and column of a byte offset.
  func location(of offset: Int) -> (line: Int, column: Int) {
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
    }
    let start = lineStarts[lo]
    let end = min(max(offset, start), bytes.count)
    let column = String(decoding: bytes[start..<end], as: UTF8.self).count + 1
    return (lo + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] : bytes.count
    while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
      end -= 1
    }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}

/// A range of bytes in a source file that an AST node, token or graph node came from.
public struct SourceSpan: Sendable {
  /// The file the span lies in.
  public let file: SourceFile
  /// Byte offset of the first byte.
  public let start: Int
  /// Byte offset one past the last byte.
  public let end: Int

  /// Creates a span; `end` is clamped to be at least `start`.
  init(file: SourceFile, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// The span covering both `self` and `other` (same file assumed).
  func merged(with other: SourceSpan) -> SourceSpan {
    SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
  }

  /// 1-based line of the start.
  public var line: Int { file.location(of: start).line }
  /// 1-based column of the start.
  public var column: Int { file.location(of: start).column }
}
