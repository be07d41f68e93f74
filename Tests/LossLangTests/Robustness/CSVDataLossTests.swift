import Foundation
import Testing

@testable import LossLang

/// The issue's `load_csv` reproductions, through the builtin on real files: each file that
/// used to lose a row (or invent a number) is now read whole or rejected with the cell's
/// line and column — never a silently different tensor.
@Suite struct CSVDataLossTests {
  /// Writes `bytes` to a fresh `.csv` file and runs `load_csv` on it.
  private func load(_ bytes: [UInt8]) throws -> Tensor {
    let path = TestScratch.path("hostile", suffix: ".csv").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let value = try Interpreter().eval("load_csv(\"\(path)\")")
    return try #require(value.tensor)
  }

  /// The I/O error `load_csv` throws for `text`, with the file's path shown as `F`.
  private func failure(_ text: String) throws -> String {
    let path = TestScratch.path("hostile", suffix: ".csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let error = try #require(throws: LossLangError.self) { try Interpreter().eval("load_csv(\"\(path)\")") }
    #expect(error.kind == .io)
    return error.message.replacingOccurrences(of: path, with: "F")
  }

  @Test func byteOrderMarkDoesNotEatTheFirstRow() throws {
    let t = try load([0xEF, 0xBB, 0xBF] + Array("1,2\r\n3,4\r\n".utf8))
    #expect(t.shape == [2, 2] && t.scalars == [1, 2, 3, 4])
    let named = try load([0xEF, 0xBB, 0xBF] + Array("a,b\r\n1,2\r\n".utf8))
    #expect(named.shape == [1, 2] && named.scalars == [1, 2])
  }

  @Test func carriageReturnOnlyLinesAreRows() throws {
    let t = try load(Array("1,2,3\r4,5,6\r".utf8))
    #expect(t.shape == [2, 3] && t.scalars == [1, 2, 3, 4, 5, 6])
  }

  @Test func firstRowWithAnEmptyCellIsDataNotAHeader() throws {
    #expect(try failure("1,,3\n4,5,6\n") == "'F' line 1, column 2: empty cell")
  }

  @Test func commaInsideQuotesDoesNotSplit() throws {
    let t = try load(Array("\"a,b\",c\n1,2\n".utf8))
    #expect(t.shape == [1, 2] && t.scalars == [1, 2])
    #expect(try failure("1,\"2,5\"\n") == "'F' line 1, column 2: '2,5' is not a decimal number")
  }

  @Test func hexadecimalIsRejectedNotReadAs16() throws {
    #expect(try failure("1,2\n0x10,3\n") == "'F' line 2, column 1: '0x10' is not a decimal number")
    // A first row of numbers in another notation is not taken for a header and dropped.
    #expect(try failure("0x10,0x20\n1,2\n") == "'F' line 1, column 1: '0x10' is not a decimal number")
  }
}
