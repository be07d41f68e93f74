import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The tile VM's row outputs (`LK_ROWSUM`, `LK_ROWMAX`) against plain loops: rows shorter
/// and longer than a tile, strided inputs, NaN and infinities, and two-thread splits.
struct RowOutputTests {
  /// A row output descriptor.
  static func rowOutput(_ reg: Int, max: Bool) -> lk_output {
    lk_output(reg: UInt8(reg), mode: UInt8(max ? LK_ROWMAX.rawValue : LK_ROWSUM.rawValue))
  }

  /// Runs `exp(x)` stored, plus the row sum of exp(x) and the row max of x, over `shape`
  /// with rows of the last `rowAxes` axes; returns (stored, row sums, row maxima).
  static func run(_ x: KernelOperand, shape: [Int], rowLength: Int, dtype: DType) throws -> [Tensor] {
    var program = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 2,
      instructions: [ProgramTests.insn(LK_OP_EXP, 1, 0)],
      outputs: [ProgramTests.output(1), rowOutput(1, max: false), rowOutput(0, max: true)])
    program.rowLength = rowLength
    return try program.run(shape: shape, operands: [x]).stored
  }

  /// The reference: per row, the double sum of exp and the maximum (NaN if any is NaN).
  static func reference(_ values: [Double], rowLength: Int, dtype: DType) -> (sums: [Double], maxima: [Double]) {
    let rows = values.count / rowLength
    let e = KT.rounded(values.map { Foundation.exp($0) }, dtype)
    var sums: [Double] = [], maxima: [Double] = []
    for r in 0..<rows {
      let row = (r * rowLength)..<((r + 1) * rowLength)
      sums.append(e[row].reduce(0, +))
      maxima.append(values[row].contains { $0.isNaN } ? .nan : values[row].max() ?? -.infinity)
    }
    return (KT.rounded(sums, dtype), maxima)
  }

  @Test(arguments: KT.floatTypes, [(7, 3), (5, 1024), (3, 2500), (1, 1), (600, 1)])
  func rowsOfContiguousInputs(dtype: DType, size: (rows: Int, rowLength: Int)) throws {
    let n = size.rows * size.rowLength
    let xs = KT.rounded(SeededGenerator.values(n, -4, 4, seed: 41), dtype)
    let out = try Self.run(
      KernelOperand(try KT.tensor(xs, [size.rows, size.rowLength], dtype), strides: [size.rowLength, 1]),
      shape: [size.rows, size.rowLength], rowLength: size.rowLength, dtype: dtype)
    let want = Self.reference(xs, rowLength: size.rowLength, dtype: dtype)
    #expect(out.count == 3)
    KT.expectClose(out[1], want.sums, shape: [size.rows], dtype)
    #expect(out[2].scalars == want.maxima)
  }

  @Test(arguments: KT.floatTypes)
  func rowsOverTrailingAxesOfAStridedView(dtype: DType) throws {
    // x [4, 6, 5] read transposed as [5, 6, 4]; rows are the last two axes (24 elements).
    let xs = KT.rounded(SeededGenerator.values(120, -2, 2, seed: 43), dtype)
    let x = try KT.tensor(xs, [4, 6, 5], dtype)
    let out = try Self.run(KernelOperand(x, strides: [1, 5, 30]), shape: [5, 6, 4], rowLength: 24, dtype: dtype)
    let viewed: [Double] = (0..<120).map { f in
      let (i, j, k) = (f / 24, (f / 4) % 6, f % 4)
      return xs[k * 30 + j * 5 + i]
    }
    let want = Self.reference(viewed, rowLength: 24, dtype: dtype)
    KT.expectClose(out[1], want.sums, shape: [5], dtype)
    #expect(out[2].scalars == want.maxima)
  }

  @Test(arguments: KT.floatTypes)
  func maximaPropagateNaNAndKeepInfinities(dtype: DType) throws {
    let xs: [Double] = [1, .nan, 3, -.infinity, -.infinity, -.infinity, 2, .infinity, 0, 5, 4, .nan]
    let out = try Self.run(
      KernelOperand(try KT.tensor(xs, [4, 3], dtype), strides: [3, 1]), shape: [4, 3], rowLength: 3, dtype: dtype)
    let maxima = out[2].scalars
    #expect(maxima[0].isNaN && maxima[3].isNaN)
    #expect(maxima[1] == -.infinity && maxima[2] == .infinity)
  }

  @Test(arguments: KT.floatTypes)
  func largeRunsSplitAtRowBoundaries(dtype: DType) throws {
    // 301 rows of 999: above the two-thread threshold, rows straddling tiles and the split.
    let (rows, rowLength) = (301, 999)
    let xs = KT.rounded(SeededGenerator.values(rows * rowLength, -3, 3, seed: 47), dtype)
    let out = try Self.run(
      KernelOperand(try KT.tensor(xs, [rows * rowLength], dtype), strides: [1]),
      shape: [rows * rowLength], rowLength: rowLength, dtype: dtype)
    let want = Self.reference(xs, rowLength: rowLength, dtype: dtype)
    KT.expectClose(out[0], KT.rounded(xs.map { Foundation.exp($0) }, dtype), shape: [rows * rowLength], dtype)
    KT.expectClose(out[1], want.sums, shape: [rows], dtype)
    #expect(out[2].scalars == want.maxima)
  }

  @Test(.tags(.slow)) func outputsStreamedPastTheCacheAreComplete() throws {
    // 2 100 003 float32 (over LK_STREAM_MIN): stored with non-temporal stores, odd tail.
    let n = 2_100_003
    let xs = KT.rounded(SeededGenerator.values(n, -3, 3, seed: 59), .float32)
    let out = try Self.run(
      KernelOperand(try KT.tensor(xs, [n], .float32), strides: [1]), shape: [n], rowLength: 1, dtype: .float32)
    KT.expectClose(out[0], KT.rounded(xs.map { Foundation.exp($0) }, .float32), shape: [n], .float32)
    #expect(out[2].scalars == xs)
  }

  @Test func rowOutputsNeedARowLengthThatDividesTheCount() throws {
    let x = try KT.tensor([1, 2, 3, 4, 5, 6], [6], .float64)
    var program = KernelProgram(
      dtype: .float64, inputCount: 1, registerCount: 1, instructions: [], outputs: [Self.rowOutput(0, max: false)])
    #expect(ProgramTests.validate(program) == LK_EINVAL)
    program.rowLength = 4
    #expect(ProgramTests.validate(program) == LK_OK)
    #expect(throws: TensorError.self) { try program.run(shape: [6], operands: [KernelOperand(x, strides: [1])]) }
    program.rowLength = 3
    #expect(try program.run(shape: [6], operands: [KernelOperand(x, strides: [1])]).stored[0].scalars == [6, 15])
  }
}
