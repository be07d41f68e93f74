@preconcurrency import CReadline
import Foundation

/// Line input for the REPL over GNU readline: editing, history (in memory and on disk),
/// Tab completion, and Ctrl-C abandoning the line.
///
/// readline's callbacks are C function pointers, which cannot capture context, so they
/// reach the editor through `LineEditor.active`. Only one editor exists per process.
final class LineEditor {
  /// What one read returns.
  enum Input: Equatable {
    /// A line the user accepted (it may contain newlines when recalled from history).
    case line(String)
    /// Ctrl-C: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
  }

  /// The editor the readline callbacks serve.
  nonisolated(unsafe) static var active: LineEditor?
  /// Set by the input callback when Ctrl-C ended the current line.
  nonisolated(unsafe) static var lineInterrupted = false
  /// Candidates of the completion in progress, handed out by the generator callback.
  nonisolated(unsafe) static var matches: [String] = []
  /// The next candidate the generator callback hands out.
  nonisolated(unsafe) static var nextMatch = 0

  /// Offers the names, functions and keyword arguments to complete.
  var completer: Completer
  /// Earlier lines of an unfinished input (for completing inside a call that spans lines).
  var pending = ""
  /// The history file, when history is kept on disk.
  private let historyFile: HistoryFile?
  /// The newest history entry, so an input repeated at once is stored once.
  private var lastEntry: String?

  /// Sets readline up: our Ctrl-C handling, completion, prompts on standard error, history.
  init(completer: Completer, historyFile: HistoryFile?) {
    self.completer = completer
    self.historyFile = historyFile
    LineEditor.active = self
    rl_readline_name = UnsafePointer(strdup("losslang"))
    rl_catch_signals = 0
    rl_outstream = stderr
    _ = rl_initialize()
    rl_variable_bind("enable-bracketed-paste", "off")
    rl_getc_function = LineEditor.getCharacter
    rl_attempted_completion_function = LineEditor.complete
    rl_completion_word_break_hook = LineEditor.wordBreakCharacters
    rl_basic_word_break_characters = UnsafePointer(LineEditor.expressionBreaks)
    rl_completer_quote_characters = UnsafePointer(strdup("\"'"))
    using_history()
    if let historyFile {
      stifle_history(Int32(historyFile.limit))
      let entries = historyFile.load()
      for entry in entries { add_history(entry) }
      lastEntry = entries.last
    }
  }

  /// The terminal's width in columns (80 when unknown).
  var screenWidth: Int {
    var rows: Int32 = 0
    var columns: Int32 = 0
    rl_get_screen_size(&rows, &columns)
    return columns >= 20 ? Int(columns) : 80
  }

  /// Reads one line with `prompt`.
  func read(prompt: String) -> Input {
    _ = InterruptSignal.take()
    LineEditor.lineInterrupted = false
    guard let line = readline(prompt) else { return LineEditor.lineInterrupted ? .interrupted : .endOfInput }
    defer { free(line) }
    if LineEditor.lineInterrupted { return .interrupted }
    return .line(String(cString: line))
  }

  /// Records a complete input in the history (memory and file), skipping blanks and repeats.
  func remember(_ entry: String) {
    guard !entry.allSatisfy(\.isWhitespace), entry != lastEntry else { return }
    lastEntry = entry
    add_history(entry)
    historyFile?.append(entry)
  }

  // MARK: - readline callbacks

  /// Reads a key, polling so that Ctrl-C ends the line promptly even when the signal lands
  /// on another thread (then the poll times out, instead of being interrupted):
  /// the line is marked `^C` and accepted, and `read` reports `.interrupted`.
  private static let getCharacter: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { stream in
    let fd = stream.map { fileno($0) } ?? STDIN_FILENO
    while true {
      if InterruptSignal.take() {
        LineEditor.lineInterrupted = true
        rl_point = rl_end
        rl_insert_text("^C")
        rl_redisplay()
        return Int32(UInt8(ascii: "\n"))
      }
      var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 200)
      if ready == 0 || (ready < 0 && errno == EINTR) { continue }
      if ready < 0 { return EOF }
      var byte: UInt8 = 0
      let count = Foundation.read(fd, &byte, 1)
      if count == 1 { return Int32(byte) }
      if count == 0 { return EOF }
      if errno == EINTR || errno == EAGAIN { continue }
      return EOF
    }
  }

  /// Word boundaries: only blanks for `:commands` and `:load` paths, operators and
  /// punctuation in expressions (so `x.su`, `f(x, ga` complete the last name).
  private static let wordBreakCharacters: @convention(c) () -> UnsafeMutablePointer<CChar>? = {
    let line = LineEditor.lineBeforeCursor().drop { $0 == " " || $0 == "\t" }
    guard LineEditor.active?.pending.isEmpty != false, line.hasPrefix(":") else { return LineEditor.expressionBreaks }
    let command = line.prefix { $0 != " " && $0 != "\t" }
    if command.count == line.count || command == ":load" || command == ":l" { return LineEditor.blankBreaks }
    return LineEditor.expressionBreaks
  }
  /// Word breaks for `:commands` and paths (C strings readline reads but never frees).
  nonisolated(unsafe) private static let blankBreaks = strdup(" \t\n")
  /// Word breaks in expressions.
  nonisolated(unsafe) private static let expressionBreaks = strdup(" \t\n\"'`@$><=;|&{}()[],+-*/%^!.:#~?\\")

  /// The attempted-completion callback: paths through readline's filename completion (when
  /// the session may touch files), everything else from `Completer`.
  private static let complete:
    @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = {
      text, start, _ in
      rl_attempted_completion_over = 1
      guard let text, let editor = LineEditor.active else { return nil }
      let bytes = Array(LineEditor.lineBuffer().utf8)
      let prefix = String(decoding: bytes.prefix(max(0, Int(start))), as: UTF8.self)
      let word = String(cString: text)
      let context = Completer.context(
        of: word, after: prefix, pending: editor.pending, inString: rl_completion_quote_character != 0)
      if context == .path {
        // Under --sandbox no path is offered: listing directories is file access too.
        guard editor.completer.offersPaths else { return nil }
        return rl_completion_matches(text, rl_filename_completion_function)
      }
      rl_completion_append_character = context == .command ? 32 : 0
      LineEditor.matches = editor.completer.candidates(for: word, in: context)
      return rl_completion_matches(text, LineEditor.generate)
    }

  /// Hands readline the candidates one by one (it frees them).
  private static let generate: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = {
    _, state in
    if state == 0 { LineEditor.nextMatch = 0 }
    guard LineEditor.nextMatch < LineEditor.matches.count else { return nil }
    defer { LineEditor.nextMatch += 1 }
    return strdup(LineEditor.matches[LineEditor.nextMatch])
  }

  /// The whole line being edited.
  private static func lineBuffer() -> String {
    guard let buffer = rl_line_buffer else { return "" }
    return String(cString: buffer)
  }

  /// The line up to the cursor.
  private static func lineBeforeCursor() -> String {
    let bytes = Array(lineBuffer().utf8)
    return String(decoding: bytes.prefix(max(0, Int(rl_point))), as: UTF8.self)
  }
}
