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

  @Test func mixedLineEndingsAndQuotedCells() throws {
    let t = try parse("\"x, \"\"1\"\"\",\"y\r\nz\"\r\n1,2\r3,4\n5 ,\t\"6\" \n")
    #expect(t.shape == [3, 2])
    #expect(t.scalars == [1, 2, 3, 4, 5, 6])
  }

  @Test func lineNumbersCountLineBreaksInsideQuotes() throws {
    #expect(try failure("\"a\nb\",\"c\r\n\r\nd\"\n1,2\r\n3,x\n") == "'t.csv' line 6, column 2: 'x' is not a number")
    #expect(try failure("\"a\rb\",c\r1,2\r\n3\n") == "'t.csv' line 4: row has 1 columns, expected 2")
  }

  @Test func badCellsAreShownOnOneShortLine() throws {
    #expect(try failure("1,\"a\r\nb\"\n") == "'t.csv' line 1, column 2: 'a\\r\\nb' is not a number")
    let long = String(repeating: "z", count: 100)
    #expect(try failure("1,\(long)\n") == "'t.csv' line 1, column 2: '\(long.prefix(40))...' is not a number")
  }

  @Test func malformedQuotingIsAnError() throws {
    #expect(try failure("1,2\n3,\"4\n5,6\n") == "'t.csv' line 2, column 2: quoted cell is not closed")
    #expect(try failure("1,\"2\"x\n") == "'t.csv' line 1, column 2: text after the closing quote of a quoted cell")
  }

  @Test func onlyDecimalNumbersAsNumPyReadsThem() throws {
    let t = try parse("1.,.5,+2e3,-25E-2,NaN,-Infinity,+inf,1e999\n")
    #expect(t.scalars.prefix(4) == [1, 0.5, 2000, -0.25])
    #expect(t[flat: 4].isNaN && t[flat: 5] == -.infinity && t[flat: 6] == .infinity && t[flat: 7] == .infinity)
    for cell in ["0x10", "1_000", "0b1", "\u{0661}\u{0662}", "1d5", "-.5e", "+0x1p3"] {
      #expect(try failure("1,2\n3,\(cell)\n") == "'t.csv' line 2, column 2: '\(cell)' is not a decimal number")
    }
    for cell in ["e5", "infinit", "nan(1)", "-", "."] {
      #expect(try failure("1,2\n3,\(cell)\n") == "'t.csv' line 2, column 2: '\(cell)' is not a number")
    }
  }

  @Test func headerOnlyWhenNoCellIsANumber() throws {
    #expect(try parse("a,,c\n1,2,3\n").shape == [1, 3])
    #expect(try parse("0,1\n2,3\n").shape == [2, 2])
    #expect(try failure(",1\n2,3\n") == "'t.csv' line 1, column 1: empty cell")
    #expect(try failure("a,1st\n2,3\n") == "'t.csv' line 1, column 1: 'a' is not a number")
  }

  @Test func readsFilesAndReportsMissingOnes() throws {
    let path = try TensorIOFixtures.temporaryFile("a,b\n1,2\n", suffix: ".csv")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try CSVReader.read(path: path).scalars == [1, 2])
    let error = try #require(throws: TensorError.self) { try CSVReader.read(path: "missing.csv") }
    #expect(error.kind == .io && error.message == "cannot open 'missing.csv': No such file or directory")
  }
}
