import Foundation

/// Unbuffered writes to the terminal: values on standard output, errors on standard error.
enum Console {
  /// Writes text to standard output.
  static func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

  /// Writes text to standard error.
  static func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
