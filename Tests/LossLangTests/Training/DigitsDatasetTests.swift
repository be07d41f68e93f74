import Foundation
import Testing

@testable import LossLang

/// `load_dataset("digits")` against scikit-learn's copy (Fixtures/digits.json, written by
/// scripts/make_digits.py from `sklearn.datasets.load_digits`, not from the packed file),
/// the CLI finding the data from any directory, and the packed-file decoder's errors.
@Suite struct DigitsDatasetTests {
  /// What scikit-learn's arrays give.
  struct Summary: Decodable {
    struct Row: Decodable {
      let x: [Double]
      let y: Double
    }
    let shape: [Int]
    let classCounts: [Double]
    let classPixelSums: [[Double]]
    let total: Double
    let rows: [String: Row]

    enum CodingKeys: String, CodingKey {
      case shape, total, rows
      case classCounts = "class_counts"
      case classPixelSums = "class_pixel_sums"
    }
  }

  static func summary() throws -> Summary {
    try JSONDecoder().decode(Summary.self, from: Data(contentsOf: FixtureFile.url("digits.json")))
  }

  /// `[x, y]` as `load_dataset` returns them.
  static func load() throws -> (x: Tensor, y: Tensor) {
    let value = try Interpreter().run("load_dataset(\"digits\")")
    return try #require(pair(value), "load_dataset returned \(value)")
  }

  /// The two tensors of a two-element list.
  static func pair(_ value: Value) -> (x: Tensor, y: Tensor)? {
    guard case .list(let items) = value, items.count == 2, let x = items[0].tensor, let y = items[1].tensor else { return nil }
    return (x, y)
  }

  @Test func matchesScikitLearn() throws {
    let want = try Self.summary()
    let (x, y) = try Self.load()
    #expect(x.shape == want.shape && x.dtype == .float32)
    #expect(y.shape == [want.shape[0]] && y.dtype == .float32)
    let pixels = x.scalars
    let labels = y.scalars
    let width = x.shape[1]
    var counts = [Double](repeating: 0, count: 10)
    var sums = [[Double]](repeating: [Double](repeating: 0, count: width), count: 10)
    for (row, label) in labels.enumerated() {
      let c = try #require(Int(exactly: label), "label \(label) is not a class index")
      try #require((0..<10).contains(c))
      counts[c] += 1
      for f in 0..<width { sums[c][f] += pixels[row * width + f] }
    }
    #expect(counts == want.classCounts)
    #expect(sums == want.classPixelSums)
    #expect(pixels.reduce(0, +) == want.total)
    for (index, row) in want.rows {
      let i = try #require(Int(index))
      #expect(Array(pixels[i * width..<(i + 1) * width]) == row.x, "row \(i)")
      #expect(labels[i] == row.y, "label of row \(i)")
    }
  }

  /// y are class indices `cross_entropy` takes as they are: uniform logits give log 10.
  @Test func labelsFeedCrossEntropy() throws {
    let value = try #require(try Interpreter().run("""
      x, y = load_dataset("digits")
      cross_entropy(zeros(shape(x)[0], 10), y)
      """).tensor)
    #expect(Tolerance(rtol: 1e-6).accepts(try #require(value.scalarValue), log(10)))
  }

  /// The data are compiled into the binary: a script run from an empty directory finds them.
  @Test(.tags(.spawnsProcess)) func theBinaryFindsTheDataFromAnyDirectory() throws {
    let want = try Self.summary()
    let directory = try TestScratch.subdirectory("digits-cwd-")
    let script = directory.appendingPathComponent("digits.loss")
    try "x, y = load_dataset(\"digits\")\nprint(f\"{shape(x)} {sum(x):.0f} {sum(y == 0):.0f}\")\n"
      .write(to: script, atomically: true, encoding: .utf8)
    let r = try runLossLang(["digits.loss"], directory: directory)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "\(want.shape) \(Int(want.total)) \(Int(want.classCounts[0]))\n")
  }

  @Test func anUnknownNameListsTheKnownOnes() throws {
    #expect {
      try Interpreter().run("load_dataset(\"mnist\")")
    } throws: { error in
      (error as? LossLangError)?.message
        == "load_dataset: argument 'name' must name a data set shipped with LossLang (\"digits\"), got \"mnist\""
    }
  }

  /// A damaged file is an error, never a crash (it is compiled in, so this means a broken build).
  @Test(arguments: [
    ("header", Array("XXDG".utf8) + [2, 0, 1, 0x12]),
    ("labels cut short", Array("LLDG".utf8) + [4, 0, 1, 0x12]),
    ("pixels cut short", Array("LLDG".utf8) + [2, 0, 4, 0x12, 0b1000_0000]),
    ("trailing bytes", Array("LLDG".utf8) + [1, 0, 1, 0x30, 0b0000_0000, 0]),
  ] as [(String, [UInt8])])
  func damagedPackedFilesAreErrors(_ what: String, _ bytes: [UInt8]) {
    #expect(throws: LossLangError.self, "\(what)") { try PackedDigits(bytes) }
  }

  @Test func decodesTheFormat() throws {
    // Two rows of 2 pixels, labels 7 and 9: pixels 0, 16 | 1, 0 → bits 0 11111 10000 0.
    let digits = try PackedDigits(Array("LLDG".utf8) + [2, 0, 2, 0x79, 0b0111_1110, 0b0000_0000])
    #expect(digits.rows == 2 && digits.width == 2)
    #expect(digits.labels == [7, 9])
    #expect(digits.pixels == [0, 16, 1, 0])
  }
}
