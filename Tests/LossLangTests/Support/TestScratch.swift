import Foundation

/// Files the tests write, all under one directory of this test process that is removed
/// when the process exits, so runs leave nothing behind in the system's temporary directory.
enum TestScratch {
  /// The process's directory (created on first use, removed at exit).
  static let directory: URL = {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("losslang-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: TestScratch.directory) }
    return url
  }()

  /// A fresh path in the directory: `prefix`, a unique id, then `suffix`.
  static func path(_ prefix: String, suffix: String = "") -> URL {
    directory.appendingPathComponent("\(prefix)\(UUID().uuidString)\(suffix)")
  }

  /// A fresh, existing subdirectory.
  static func subdirectory(_ prefix: String) throws -> URL {
    let url = path(prefix)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
