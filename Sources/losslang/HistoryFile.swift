import Foundation

/// The REPL's history on disk: one entry per line, capped, multi-line entries kept whole.
///
/// An entry's newlines are written as `\n` and its backslashes as `\\`, so a multi-line
/// `def` comes back as one entry. Entries are appended as they are entered (several
/// sessions can share the file); the file is trimmed to the newest `limit` entries when loaded.
struct HistoryFile {
  /// The file's path.
  let path: String
  /// The most entries kept.
  let limit: Int

  /// `$LOSSLANG_HISTORY` if set (empty disables history), else `~/.losslang_history`.
  static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    if let path = environment["LOSSLANG_HISTORY"] { return path.isEmpty ? nil : path }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.losslang_history"
  }

  /// The stored entries, oldest first; rewrites the file when it holds more than `limit`.
  func load() -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
    let entries = lines.map { Self.decode(String($0)) }
    guard entries.count > limit else { return entries }
    let kept = Array(entries.suffix(limit))
    let text = kept.map(Self.encode).joined(separator: "\n") + "\n"
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
    return kept
  }

  /// Appends one entry to the file (errors are ignored: history is a convenience).
  func append(_ entry: String) {
    let line = Self.encode(entry) + "\n"
    guard let handle = FileHandle(forWritingAtPath: path) else {
      _ = FileManager.default.createFile(atPath: path, contents: Data(line.utf8), attributes: [.posixPermissions: 0o600])
      return
    }
    defer { try? handle.close() }
    _ = try? handle.seekToEnd()
    try? handle.write(contentsOf: Data(line.utf8))
  }

  /// One entry as one line: `\` → `\\`, newline → `\n`.
  static func encode(_ entry: String) -> String {
    entry.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
  }

  /// The inverse of `encode`.
  static func decode(_ line: String) -> String {
    var out = ""
    var escaped = false
    for ch in line {
      if escaped {
        out.append(ch == "n" ? "\n" : ch)
        escaped = false
      } else if ch == "\\" {
        escaped = true
      } else {
        out.append(ch)
      }
    }
    return out
  }
}
