import Foundation

/// The repository's root directory, found from this source file's place in it
/// (`Tests/LossLangTests/Support/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
