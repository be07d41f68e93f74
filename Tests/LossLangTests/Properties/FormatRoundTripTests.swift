import Foundation
import Testing

@testable import LossLang

/// `ASTFormatter` prints programs that parse back to the same tree: checked on random
/// programs and on every `.loss` file of the repository that parses.
@Suite struct FormatRoundTripTests {

  /// Every `.loss` file under examples/, stdlib/ and Tests/, relative to the repository.
  static let sourceFiles: [String] = ["examples", "stdlib", "Tests"].flatMap { folder -> [String] in
    let root = repositoryRoot.appendingPathComponent(folder)
    let walker = FileManager.default.enumerator(atPath: root.path)
    let names = (walker?.allObjects as? [String]) ?? []
    return names.filter { $0.hasSuffix(".loss") }.map { "\(folder)/\($0)" }
  }.sorted()

  @Test(arguments: 0..<300 as Range<UInt64>)
  func randomProgramRoundTrips(seed: UInt64) throws {
    let source = ProgramGenerator.make(seed: seed)
    let original: [Stmt]
    do { original = try Parser.parse(SourceFile(path: "random.loss", text: source)) } catch {
      Issue.record("seed \(seed): the generated program does not parse: \(error)\n\(source)")
      return
    }
    try checkRoundTrip(original, context: "seed \(seed)")
  }

  @Test func repositoryHasSourceFiles() {
    #expect(Self.sourceFiles.count >= 20)
  }

  @Test(arguments: sourceFiles)
  func fileRoundTrips(_ path: String) throws {
    let text = try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    // Golden scripts of syntax errors are meant not to parse; no other file may fail to.
    guard let original = try? Parser.parse(SourceFile(path: path, text: text)) else {
      #expect(text.contains("# expect error: "), "\(path) does not parse")
      return
    }
    try checkRoundTrip(original, context: path)
  }

  /// Formats `original`, re-parses it, and compares trees (as S-expressions) and the text of
  /// a second formatting (which also covers doc comments, which the S-expressions omit).
  private func checkRoundTrip(_ original: [Stmt], context: String) throws {
    let formatted = ASTFormatter.format(original)
    let reparsed: [Stmt]
    do { reparsed = try Parser.parse(SourceFile(path: "formatted.loss", text: formatted)) } catch {
      Issue.record("\(context): the formatted program does not parse: \(error)\n\(formatted)")
      return
    }
    #expect(ASTPrinter.render(reparsed) == ASTPrinter.render(original), "\(context): tree changed\n\(formatted)")
    #expect(ASTFormatter.format(reparsed) == formatted, "\(context): formatting is not stable")
  }
}
