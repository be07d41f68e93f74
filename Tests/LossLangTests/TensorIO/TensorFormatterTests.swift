import Foundation
import Testing

@testable import LossLang

/// One tensor and the repr PyTorch printed for it (see scripts/make_print_fixtures.py).
struct PrintFixture: Decodable, CustomTestStringConvertible, Sendable {
  let name: String
  let dtype: String
  let shape: [Int]
  let values: [String]
  let repr: String

  var testDescription: String { name }

  /// Loads every case from `Fixtures/print.json`; an unreadable file gives no cases and
  /// `fixturesLoad` fails.
  static let all: [PrintFixture] = {
    let url = TensorIOFixtures.root.appendingPathComponent("print.json")
    guard let data = try? Data(contentsOf: url) else { return [] }
    return (try? JSONDecoder().decode([PrintFixture].self, from: data)) ?? []
  }()

  /// The tensor this case describes.
  func tensor() throws -> Tensor {
    let numbers = try values.map { try #require(Double($0)) }
    return try Tensor(numbers, shape: shape, dtype: try #require(DType(rawValue: dtype)))
  }
}

/// `TensorFormatter` output compared with strings real PyTorch printed.
@Suite struct TensorFormatterTests {
  @Test func fixturesLoad() {
    #expect(PrintFixture.all.count >= 40)
  }

  @Test(arguments: PrintFixture.all)
  func reprMatchesTorch(_ fixture: PrintFixture) throws {
    let actual = TensorFormatter.repr(try fixture.tensor())
    #expect(actual == fixture.repr)
  }

  @Test func reprOfSmallCases() throws {
    #expect(TensorFormatter.repr(Tensor(scalar: 0.5)) == "tensor(0.5000)")
    #expect(TensorFormatter.repr(try Tensor([1, 2, 3], shape: [3])) == "tensor([1., 2., 3.])")
    #expect(TensorFormatter.repr(try Tensor([1, 2], shape: [2], dtype: .float64)) == "tensor([1., 2.], dtype=float64)")
    #expect(TensorFormatter.repr(try Tensor([], shape: [0, 4])) == "tensor([], size=(0, 4))")
    #expect(TensorFormatter.repr(try Tensor([.nan, -.infinity], shape: [2])) == "tensor([nan, -inf])")
  }

  /// Values, dtypes and the text `scalar` must give.
  static let scalarCases: [(Double, DType, String)] = [
    (0.1, .float32, "0.1"), (0.1, .float64, "0.1"), (1.0 / 3, .float32, "0.33333334"),
    (1.0 / 3, .float64, "0.3333333333333333"), (2, .float32, "2.0"), (-0.0, .float64, "-0.0"),
    (.infinity, .float32, "inf"), (-.infinity, .float64, "-inf"), (.nan, .float32, "nan"),
    (-.nan, .float64, "nan"), (1e40, .float32, "inf"), (1e-5, .float32, "1e-05"), (1e16, .float64, "1e+16"),
    (1, .bool, "true"), (0, .bool, "false"),
  ]

  @Test(arguments: scalarCases)
  func scalarIsShortestRoundTrip(value: Double, dtype: DType, expected: String) {
    #expect(TensorFormatter.scalar(value, dtype: dtype) == expected)
  }

  @Test func scalarReadsBack() {
    for value in [0.1, 123.456, 6.02e23, -7.5e-8, 3.4028234663852886e38] {
      #expect(Float(TensorFormatter.scalar(value, dtype: .float32)) == Float(value))
      #expect(Double(TensorFormatter.scalar(value, dtype: .float64)) == value)
    }
  }

  @Test func pythonTuple() {
    #expect(TensorFormatter.pythonTuple([]) == "()")
    #expect(TensorFormatter.pythonTuple([3]) == "(3,)")
    #expect(TensorFormatter.pythonTuple([2, 3]) == "(2, 3)")
  }
}
