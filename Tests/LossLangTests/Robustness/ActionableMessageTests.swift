import Foundation
import Testing

@testable import LossLang

/// Reproductions from issue 13 whose message named the wrong problem: each now says what
/// the user can fix.
@Suite struct ActionableMessageTests {
  static func message(_ source: String) throws -> LossLangError {
    let interp = try Interpreter()
    interp.output = { _ in }
    do {
      try interp.eval(source)
    } catch let e as LossLangError {
      return e
    }
    throw LossLangError(.runtime, "expected an error from: \(source)")
  }

  @Test(arguments: [
    ("cross_entropy(zeros([2, 0]), [0, 0])", "cross_entropy: Target 0 is out of bounds (target class index out of range for 0 classes)"),
    ("nll_loss(zeros([0]), 0)", "nll_loss: Target 0 is out of bounds (target class index out of range for 0 classes)"),
    ("focal_loss(zeros([2, 0]), [1, 1])", "focal_loss: Target 1 is out of bounds (target class index out of range for 0 classes)"),
  ])
  func noClassesIsNamed(source: String, expected: String) throws {
    // PyTorch: "Target 0 is out of bounds." (the reshape's row count was 0 / 0 = NaN).
    let e = try Self.message(source)
    #expect(e.kind == .runtime)
    #expect(e.message == "assertion failed: " + expected)
  }

  @Test func noClassesWithProbabilityTargetsIsNaNAsInPyTorch() throws {
    let interp = try Interpreter()
    let value = try interp.eval("cross_entropy(zeros([2, 0]), zeros([2, 0]))")
    #expect(value.number?.isNaN == true)
  }

  @Test func aNaNShapeIsShownAsNaN() throws {
    let e = try Self.message("reshape([1.0], [0 / 0])")
    #expect(e.message == "reshape: argument 'shape' must hold whole numbers, got nan")
  }

  @Test(arguments: [
    ("mse_loss([1.0], [2.0], reduction=none)", "mse_loss: reduction must be one of [\"mean\", \"sum\", \"none\"], got none"),
    ("mse_loss([1.0], [2.0], reduction=\"avg\")", "mse_loss: reduction must be one of [\"mean\", \"sum\", \"none\"], got \"avg\""),
    ("mse_loss([1.0], [2.0], reduction=2)", "mse_loss: reduction must be one of [\"mean\", \"sum\", \"none\"], got 2"),
    ("reduce([1.0], none)", "reduction must be one of [\"mean\", \"sum\", \"none\"], got none"),
  ])
  func reductionShowsTheValueAsWritten(source: String, expected: String) throws {
    #expect(try Self.message(source).message == "assertion failed: " + expected)
  }

  @Test func aLongFlatSumIsNotTooDeep() throws {
    let interp = try Interpreter()
    let source = Array(repeating: "1", count: 1_500).joined(separator: " + ")
    #expect(try interp.eval(source).number == 1_500)
  }

  @Test func aHugeFlatSumIsTooLongNotACrash() throws {
    let source = "x = " + Array(repeating: "1", count: 100_000).joined(separator: " + ")
    let e = try Self.message(source)
    #expect(e.kind == .syntax)
    #expect(e.message == "expression too long: too many operators in a row; split it with intermediate variables")
  }

  @Test func nestingStillCostsMoreThanAChain() throws {
    let source = String(repeating: "(", count: 600) + "1" + String(repeating: ")", count: 600)
    #expect(try Self.message(source).message == "expression nested too deeply")
  }

  @Test func aNpyBeyondTheDimensionLimitFailsAtLoad() throws {
    let url = TestScratch.path("dims70", suffix: ".npy")
    defer { try? FileManager.default.removeItem(at: url) }
    try Self.npy(shape: Array(repeating: 1, count: 70)).write(to: url)
    let e = try Self.message("x = load(\"\(url.path)\")")
    #expect(e.kind == .io)
    #expect(e.message == "cannot load '\(url.path)': unsupported .npy shape: 70 dimensions, at most 16 are supported")
    #expect(e.diagnostics.first?.span != nil)
  }

  /// A version 1.0 `.npy` file of float32 zeros (written by hand: NumPy writes the same).
  static func npy(shape: [Int]) -> Data {
    let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
    data.append(contentsOf: Array(header.utf8))
    data.append(contentsOf: [UInt8](repeating: 0, count: 4 * shape.reduce(1, *)))
    return data
  }
}
