import Foundation

/// Locates the committed test fixtures and scratch files for the TensorIO tests.
enum TensorIOFixtures {
  /// `Tests/LossLangTests/Fixtures`, found from this file's real location (symlinks resolved).
  static let root: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// The path of a fixture `.npy` file.
  static func npy(_ name: String) -> String {
    root.appendingPathComponent("npy").appendingPathComponent(name).path
  }

  /// The path of a fixture file under `Fixtures/csv` (a `.csv` file or its expected `.npy`).
  static func csv(_ name: String) -> String {
    root.appendingPathComponent("csv").appendingPathComponent(name).path
  }

  /// A fresh path in the temporary directory, unique per call.
  static func temporaryPath(_ suffix: String) -> String {
    TestScratch.path("losslang-io-", suffix: suffix).path
  }

  /// Writes text to a fresh temporary file and returns its path.
  static func temporaryFile(_ text: String, suffix: String) throws -> String {
    let path = temporaryPath(suffix)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }
}
