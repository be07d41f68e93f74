import Foundation
import Testing

@testable import LossLang

/// `save_csv` writes what `load_csv` (and any correct decimal parser, NumPy's included)
/// reads back exactly.
@Suite struct CSVWriterTests {
  /// Float32 values from every part of the range: random bit patterns (a fixed seed), subnormals,
  /// extremes, signed zeros and non-finite values.
  private static func float32Values() -> [Double] {
    var generator = RandomGenerator(seed: 1)
    var values: [Float] = [0, -0, 1, -1, 0.1, 1e-10, .leastNonzeroMagnitude, .leastNormalMagnitude,
                           .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, 16_777_217]
    for _ in 0..<2000 {
      let f = Float(bitPattern: UInt32(truncatingIfNeeded: generator.nextBits()))
      if !f.isNaN { values.append(f) }
    }
    return values.map(Double.init)
  }

  @Test func float32RoundTripsThroughLoadCSV() throws {
    let values = Self.float32Values()
    let columns = 4
    let rows = values.count / columns
    let t = try Tensor(Array(values.prefix(rows * columns)), shape: [rows, columns], dtype: .float32)
    let back = try CSVReader.parse(Array(CSVWriter.text(t, header: ["a", "b", "c", "d"]).utf8), name: "t.csv")
    #expect(back.shape == t.shape)
    let differing = (0..<t.count).filter { back[flat: $0].bitPattern != t[flat: $0].bitPattern }
    #expect(differing.isEmpty, "\(differing.count) values differ, first at \(differing.first ?? -1)")
  }

  @Test func float64TextParsesBackExactly() throws {
    var generator = RandomGenerator(seed: 2)
    var values = [0.1, 0.2, 1.0 / 3, 1e-300, 5e-324, .greatestFiniteMagnitude]
    for _ in 0..<2000 {
      let d = Double(bitPattern: generator.nextBits())
      if d.isFinite { values.append(d) }
    }
    let text = try CSVWriter.text(Tensor(values, shape: [values.count], dtype: .float64), header: nil)
    let parsed = text.split(separator: "\n").map { Double($0) }
    #expect(parsed.count == values.count)
    #expect(zip(parsed, values).allSatisfy { $0?.bitPattern == $1.bitPattern })
  }

  @Test func layoutAndHeader() throws {
    #expect(try CSVWriter.text(Tensor([1.5, -2], shape: [2], dtype: .float32), header: ["v"]) == "v\n1.5\n-2.0\n")
    #expect(try CSVWriter.text(Tensor([1, 2, 3, 4], shape: [2, 2], dtype: .float32), header: nil) == "1.0,2.0\n3.0,4.0\n")
    #expect(try CSVWriter.text(Tensor([7], shape: [], dtype: .float32), header: nil) == "7.0\n")
    #expect(try CSVWriter.text(Tensor([], shape: [0, 3], dtype: .float32), header: ["a", "b,c", "q\""]) == "a,\"b,c\",\"q\"\"\"\n")
  }

  @Test func quotedHeadersReadBackAsAHeader() throws {
    let names = ["a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", "", " padded\t"]
    let t = try Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shape: [2, 6], dtype: .float32)
    let text = try CSVWriter.text(t, header: names)
    let back = try CSVReader.parse(Array(text.utf8), name: "t.csv")
    #expect(back.shape == [2, 6] && back.scalars == t.scalars)
    var records = CSVRecords(Array(text.utf8), name: "t.csv")
    #expect(try records.next()?.map(\.text) == names)
  }

  @Test func rejectsWhatItCannotWrite() throws {
    let cube = try Tensor([Double](repeating: 0, count: 8), shape: [2, 2, 2], dtype: .float32)
    #expect(throws: TensorError.self) { try CSVWriter.text(cube, header: nil) }
    #expect(throws: TensorError.self) { try CSVWriter.text(Tensor([1, 2], shape: [1, 2], dtype: .float32), header: ["a"]) }
    let numeric = try #require(throws: TensorError.self) {
      try CSVWriter.text(Tensor([1, 2], shape: [1, 2], dtype: .float32), header: ["a", "0x1"])
    }
    #expect(numeric.message == "save_csv: header name '0x1' would read back as a number, not a name")
  }

  @Test func saveCSVBuiltinWritesAFileThatLoadCSVReads() throws {
    let path = TestScratch.path("save", suffix: ".csv").path
    let interp = try Interpreter()
    let loaded = try interp.eval("""
      x = [[0.1, -2.5], [1e-8, 3.0]]
      save_csv("\(path)", x, header=["p", "q"])
      sum(load_csv("\(path)") != x)
      """)
    #expect(loaded.number == 0)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "p,q\n0.1,-2.5\n1e-08,3.0\n")
  }
}
