import Foundation
import Testing

/// Environment variables are read by the CLI only (DESIGN.md): the library takes every
/// setting from `Interpreter.Options`, which the CLI fills with `applyingEnvironment`.
@Suite struct EnvironmentReadTests {
  @Test func theLibraryReadsNoEnvironmentVariable() throws {
    let files = try LayerSources(root: LayerDirectionTests.library).files
    try #require(files.count > 100, "the scan found the library's files")
    let reading = files.filter { file in
      let code = LayerSources.File.codeOnly(file.text)
      return code.range(of: #"processInfo\.environment|\bgetenv\(|\benviron\b"#, options: .regularExpression) != nil
    }.map(\.path)
    #expect(reading.isEmpty)
  }
}
