import Foundation
import Testing

@testable import LossLang

/// Parsing, headers and error messages of `CSVReader`.
@Suite struct CSVReaderTests {
  /// Parses text as a CSV file named `t.csv`.
  private func parse(_ text: String) throws -> Tensor {
    try CSVReader.parse(Array(text.utf8), name: "t.csv")
  }

  /// The message of the error parsing `text` throws.
  private func failure(_ text: String) throws -> String {
    try #require(throws: TensorError.self) { try parse(text) }.message
  }

  @Test func readsNumbers() throws {
    let t = try parse("1,2,3\n4.5,-5e-1, 6 \n")
    #expect(t.shape == [2, 3] && t.dtype == .float32)
    #expect(t.scalars == [1, 2, 3, 4.5, -0.5, 6])
  }

  @Test func skipsHeaderBlankLinesAndHandlesCRLF() throws {
    let t = try parse("x,y\r\n\r\n1,2\r\n  \r\n3,\"4\"\r\n")
    #expect(t.shape == [2, 2])
    #expect(t.scalars == [1, 2, 3, 4])
  }

  @Test func acceptsNonFiniteAndSingleColumn() throws {
    let t = try parse("nan\ninf\n-inf\n0")
    #expect(t.shape == [4, 1])
    #expect(t[flat: 0].isNaN && t[flat: 1] == .infinity && t[flat: 2] == -.infinity)
  }

  @Test func emptyAndHeaderOnly() throws {
    #expect(try parse("").shape == [0, 0])
    #expect(try parse("\n\n").shape == [0, 0])
    #expect(try parse("a,b,c\n").shape == [0, 3])
  }

  @Test func errorsNameLineAndColumn() throws {
    #expect(try failure("1,2\n3\n") == "'t.csv' line 2: row has 1 columns, expected 2")
    #expect(try failure("a,b\n1,2,3\n") == "'t.csv' line 2: row has 3 columns, expected 2")
    #expect(try failure("1,2\n\n3,x\n") == "'t.csv' line 3, column 2: 'x' is not a number")
    #expect(try failure("1,2\n,4\n") == "'t.csv' line 2, column 1: empty cell")
  }

  @Test func readsFilesAndReportsMissingOnes() throws {
    let path = try TensorIOFixtures.temporaryFile("a,b\n1,2\n", suffix: ".csv")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try CSVReader.read(path: path).scalars == [1, 2])
    let error = try #require(throws: TensorError.self) { try CSVReader.read(path: "missing.csv") }
    #expect(error.isIO && error.message == "cannot open 'missing.csv': No such file or directory")
  }
}
