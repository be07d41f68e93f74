import Foundation

/// The size of the terminal standard output writes to, for the figures `show()` draws.
enum TerminalSize {
  /// The columns of the terminal on standard output (`TIOCGWINSZ`), else `COLUMNS` when it
  /// is a positive whole number; nil when standard output is not a terminal.
  static func columns(environment: [String: String]) -> Int? {
    guard isatty(STDOUT_FILENO) != 0 else { return nil }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return environment["COLUMNS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
  }
}
