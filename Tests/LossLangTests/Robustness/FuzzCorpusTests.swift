import Foundation
import Testing

/// The committed fuzz corpus holds only inputs found nowhere else in the tree: scripts/fuzz.sh
/// reads the test scripts, `stdlib/` and `examples/` as corpus folders of their own, so a
/// copy of one of them in `fuzz/corpus/` would only go stale.
@Suite struct FuzzCorpusTests {
  static let corpus = repositoryRoot.appendingPathComponent("fuzz/corpus")

  /// Regular files under `directory`, skipping hidden ones (`.git`, `.build*`) and `skipped`.
  static func files(under directory: URL, skipping skipped: [URL] = []) -> [URL] {
    let skippedPaths = Set(skipped.map(\.standardizedFileURL.path))
    guard let walk = FileManager.default.enumerator(
      at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    else { return [] }
    var found: [URL] = []
    for case let url as URL in walk {
      if skippedPaths.contains(url.standardizedFileURL.path) {
        walk.skipDescendants()
      } else if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        found.append(url)
      }
    }
    return found
  }

  @Test func noSeedIsACopyOfAFileElsewhere() throws {
    let seeds = Self.files(under: Self.corpus)
    try #require(!seeds.isEmpty, "no seeds in \(Self.corpus.path)")
    var seedsBySize: [Int: [(name: String, bytes: Data)]] = [:]
    for seed in seeds {
      let bytes = try Data(contentsOf: seed)
      seedsBySize[bytes.count, default: []].append((seed.lastPathComponent, bytes))
    }
    // fuzz/work and fuzz/artifacts are the fuzzer's own output (ignored by git).
    let fuzz = repositoryRoot.appendingPathComponent("fuzz")
    let skipped = [Self.corpus, fuzz.appendingPathComponent("work"), fuzz.appendingPathComponent("artifacts")]
    let tree = Self.files(under: repositoryRoot, skipping: skipped)
    let prelude = repositoryRoot.appendingPathComponent("stdlib/prelude.loss").standardizedFileURL.path
    try #require(tree.contains { $0.standardizedFileURL.path == prelude }, "the walk missed stdlib/")
    for file in tree {
      let size = try file.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? -1
      guard let sameSize = seedsBySize[size] else { continue }
      let bytes = try Data(contentsOf: file)
      for seed in sameSize where seed.bytes == bytes {
        Issue.record("fuzz/corpus/\(seed.name) is a copy of \(file.path): delete it (fuzz.sh reads that folder)")
      }
    }
  }
}
