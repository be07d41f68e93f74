import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The one-pass log-sum-exp row output (`LK_ROWSUMEXP`): the sum over each row of
/// exp(x - m), m the row's maximum, found in the same pass (online: a later segment of a
/// long row that raises the maximum rescales the sum so far).
@Suite struct RowSumExpTests {
  /// Σ exp(x - m) over a row in double with Foundation's exp, m its maximum: NaN if any
  /// element is NaN, and NaN when x - m is (a row holding +inf, or only -inf).
  static func reference(_ row: [Double]) -> Double {
    guard let m = row.max(), !row.contains(where: \.isNaN) else { return .nan }
    return row.reduce(0.0) { $0 + Foundation.exp($1 - m) }
  }

  /// Rows of `length`: random values with the maximum late in the row (raised by later
  /// tiles of long rows), and rows holding NaN, +inf, -inf, only -inf, and huge values.
  static func rows(length: Int, dtype: DType) -> [[Double]] {
    var random = SeededGenerator(seed: UInt64(length))
    let huge = dtype == .float32 ? 3e38 : 1e300
    var rows: [[Double]] = []
    rows.append((0..<length).map { j -> Double in Double(j) * 0.05 + Double.random(in: -30...30, using: &random) })
    rows.append((0..<length).map { _ -> Double in Double.random(in: -5...5, using: &random) })
    rows.append([Double](repeating: 1e30, count: length))
    rows.append((0..<length).map { j -> Double in j % 3 == 0 ? -huge : huge - Double(j) })
    for special in [Double.nan, .infinity, -.infinity] {
      var row = (0..<length).map { _ in Double.random(in: -80...80, using: &random) }
      row[(length * 2) / 3] = special
      rows.append(row)
    }
    rows.append([Double](repeating: -.infinity, count: length))
    return rows
  }

  /// The kernel's LK_ROWSUMEXP output (with an LK_ROWMAX beside it) over `rows` on the VM.
  static func sumExp(_ rows: [[Double]], dtype: DType) throws -> [Double] {
    let length = rows[0].count
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 1, instructions: [],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_ROWMAX.rawValue)), lk_output(reg: 0, mode: UInt8(LK_ROWSUMEXP.rawValue))],
      rowLength: length)
    let x = try Tensor(rows.flatMap { $0 }, shape: [rows.count, length], dtype: dtype)
    let bits = try NativeKernelTests.run(kernel, [KernelOperand(x, strides: [length, 1])], shape: x.shape, native: nil)
    return bits[1].map(Double.init(bitPattern:))
  }

  @Test(arguments: [DType.float32, .float64])
  func rowsOfEveryLengthAndSpecialValuesMatchTheSum(dtype: DType) throws {
    // An element's exp is within 2 ulp and its x - m rounds once: a few ulp of the sum.
    let tolerance = Tolerance(rtol: dtype == .float32 ? 2e-6 : 1e-13)
    for length in [1, 3, 63, 1000, 1025, 2500] {
      // The inputs as the kernel reads them (huge float64 values become ±inf in float32).
      let rows = try Self.rows(length: length, dtype: dtype).map { row in
        try Tensor(row, shape: [length], dtype: dtype).scalars
      }
      let got = try Self.sumExp(rows, dtype: dtype)
      let want = rows.map(Self.reference).map { dtype == .float32 ? Double(Float($0)) : $0 }
      #expect(tolerance.mismatch(got, want) == nil, "\(dtype), rows of \(length): \(got) vs \(want)")
    }
  }

  @Test func aRowOfOneElementSumsToOne() throws {
    let got = try Self.sumExp([[-7], [0], [1e30], [-.infinity], [.nan]], dtype: .float32)
    #expect(got[0] == 1 && got[1] == 1 && got[2] == 1, "exp(x - x) = 1")
    #expect(got[3].isNaN && got[4].isNaN, "-inf - -inf and NaN are NaN, as x - max(x) computes them")
  }

  @Test func theModeNeedsARowLength() throws {
    let kernel = KernelProgram(
      dtype: .float32, inputCount: 1, registerCount: 1, instructions: [],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_ROWSUMEXP.rawValue))], rowLength: 0)
    let x = try Tensor([1, 2, 3], shape: [3], dtype: .float32)
    #expect(throws: (any Error).self) {
      try NativeKernelTests.run(kernel, [KernelOperand(x, strides: [1])], shape: [3], native: nil)
    }
  }
}
