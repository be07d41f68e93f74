import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The column outputs of the tile VM (`LK_COLSUM`, `LK_COLMAX`, `LK_COLSUMEXP`): one value per
/// position of a row, reduced over every row in the pass that reads the matrix row-major;
/// each part of a split call keeps its own column totals, combined in part order, so 1 to
/// 16 threads give the same bits.
@Suite("Column outputs", .serialized)
struct ColumnOutputTests {
  /// Per column of `rows`, computed plainly in double: the sum; the maximum (NaN if any
  /// element is NaN); and Σ exp(x - m) with Foundation's exp, m the maximum (NaN when any
  /// x - m is: a NaN, a +inf, or a column of only -inf).
  static func reference(_ rows: [[Double]]) -> (sum: [Double], max: [Double], sumExp: [Double]) {
    let columns = rows[0].indices.map { j in rows.map { $0[j] } }
    let sums = columns.map { $0.reduce(0, +) }
    let maxima = columns.map { c in c.contains(where: \.isNaN) ? .nan : c.max() ?? -.infinity }
    let sumExps = zip(columns, maxima).map { c, m in c.reduce(0.0) { $0 + Foundation.exp($1 - m) } }
    return (sums, maxima, sumExps)
  }

  /// A matrix of `rows` x `columns`: random values whose column maxima grow down the rows
  /// (so the running maxima are raised often), one column of huge values, and (with at least
  /// six columns) columns holding one NaN, one +inf, one -inf late, -inf first, and only -inf.
  static func matrix(rows: Int, columns: Int, dtype: DType) -> [[Double]] {
    var random = SeededGenerator(seed: UInt64(rows * 7919 + columns))
    let huge = dtype == .float32 ? 3e38 : 1e300
    var m = (0..<rows).map { i in
      (0..<columns).map { _ in Double(i) * 0.01 + Double.random(in: -40...40, using: &random) }
    }
    guard columns >= 6 else { return m }
    for i in 0..<rows {
      m[i][0] = i % 3 == 0 ? -huge : huge - Double(i)
      m[i][4] = i == 0 ? -.infinity : m[i][4]
      m[i][5] = -.infinity
    }
    m[(rows * 2) / 3][1] = .nan
    m[(rows * 2) / 3][2] = .infinity
    m[(rows * 2) / 3][3] = -.infinity
    return m
  }

  /// The column outputs `modes` (by default all three, the maximum then kept by the sum of
  /// exponentials) of one kernel reading `rows` row-major, as bit patterns.
  static func columnOutputs(
    _ rows: [[Double]], dtype: DType, modes: [lk_output_mode] = [LK_COLSUM, LK_COLMAX, LK_COLSUMEXP]
  ) throws -> [[UInt64]] {
    let length = rows[0].count
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 1, registerCount: 1, instructions: [],
      outputs: modes.map { lk_output(reg: 0, mode: UInt8($0.rawValue)) }, rowLength: length)
    let x = try Tensor(rows.flatMap { $0 }, shape: [rows.count, length], dtype: dtype)
    return try NativeKernelTests.run(kernel, [KernelOperand(x, strides: [length, 1])], shape: x.shape, native: nil)
  }

  @Test(arguments: [DType.float32, .float64])
  func everyShapeAndSpecialValueMatchesThePlainReduction(dtype: DType) throws {
    // Sums in double: a few ulp of the dtype after rounding. exp within 2 ulp, x - m rounded
    // once, and a rescaling per raised maximum: a few ulp of the sum of exponentials.
    let sumTolerance = Tolerance(rtol: dtype == .float32 ? 1e-6 : 1e-12, atol: 1e-9)
    let expTolerance = Tolerance(rtol: dtype == .float32 ? 4e-6 : 1e-12)
    for (rows, columns) in [(1, 1), (5, 3), (3, 2000), (1000, 37), (300, 1025), (2100, 700)] {
      // The inputs as the kernel reads them (huge float64 values become ±inf in float32).
      let m = try Self.matrix(rows: rows, columns: columns, dtype: dtype).map { row in
        try Tensor(row, shape: [columns], dtype: dtype).scalars
      }
      let got = try Self.columnOutputs(m, dtype: dtype).map { $0.map(Double.init(bitPattern:)) }
      let want = Self.reference(m)
      let narrow = { (v: [Double]) in dtype == .float32 ? v.map { Double(Float($0)) } : v }
      #expect(sumTolerance.mismatch(got[0], narrow(want.sum)) == nil, "colsum \(dtype) \(rows) x \(columns)")
      #expect(Tolerance.exact.mismatch(got[1], narrow(want.max)) == nil, "colmax \(dtype) \(rows) x \(columns)")
      #expect(expTolerance.mismatch(got[2], narrow(want.sumExp)) == nil, "colsumexp \(dtype) \(rows) x \(columns)")
      let alone = try Self.columnOutputs(m, dtype: dtype, modes: [LK_COLMAX]).map { $0.map(Double.init(bitPattern:)) }
      #expect(Tolerance.exact.mismatch(alone[0], narrow(want.max)) == nil, "colmax alone \(dtype) \(rows) x \(columns)")
    }
  }

  @Test func specialColumnsGiveWhatXMinusMaxGives() throws {
    let m = Self.matrix(rows: 50, columns: 6, dtype: .float64)
    let got = try Self.columnOutputs(m, dtype: .float64).map { $0.map(Double.init(bitPattern:)) }
    #expect(got[1][1].isNaN && got[2][1].isNaN, "a NaN stays in the maximum and the sum")
    #expect(got[1][2] == .infinity && got[2][2].isNaN, "+inf - +inf is NaN")
    #expect(got[2][3].isFinite && got[2][4].isFinite, "an element of -inf adds exp(-inf) = 0, first or late")
    #expect(got[1][5] == -.infinity && got[2][5].isNaN && got[0][5] == -.infinity, "a column of -inf")
  }

  @Test func oneToSixteenThreadsGiveTheSameBits() throws {
    // 4096 x 300 float32: more parts than LK_COL_PARTS at 64 Ki elements each, so the split
    // takes the larger parts, and every part's column totals are combined in part order.
    for dtype in [DType.float32, .float64] {
      let m = Self.matrix(rows: 4096, columns: 300, dtype: dtype)
      let one = try WorkerPoolTests.limited(1) { try Self.columnOutputs(m, dtype: dtype) }
      for threads in WorkerPoolTests.threadCounts {
        let many = try WorkerPoolTests.limited(threads) { try Self.columnOutputs(m, dtype: dtype) }
        #expect(many == one, "\(dtype) on \(threads) threads")
      }
    }
  }

  @Test(arguments: [DType.float32, .float64])
  func nativeCodeGivesTheVMsBits(dtype: DType) throws {
    // Native code computes the registers; the VM folds the column outputs from them as it
    // does after its own instructions (a maximum beside its sum of exponentials, and alone).
    let kernel = KernelProgram(
      dtype: dtype, inputCount: 2, registerCount: 4,
      instructions: [ProgramTests.insn(LK_OP_MUL, 2, 0, 1), ProgramTests.insn(LK_OP_SUB_IMM, 3, 2, imm: 0.5)],
      outputs: [
        lk_output(reg: 2, mode: UInt8(LK_COLMAX.rawValue)), lk_output(reg: 2, mode: UInt8(LK_COLSUMEXP.rawValue)),
        lk_output(reg: 3, mode: UInt8(LK_COLMAX.rawValue)), lk_output(reg: 3, mode: UInt8(LK_COLSUM.rawValue)),
        lk_output(reg: 3, mode: UInt8(LK_ROWSUMEXP.rawValue)), lk_output(reg: 2, mode: UInt8(LK_STORE.rawValue)),
      ],
      rowLength: 300)
    let m = Self.matrix(rows: 700, columns: 300, dtype: dtype)
    let inputs = try [m, m.reversed()].map { try Tensor($0.flatMap { $0 }, shape: [700 * 300], dtype: dtype) }
    try NativeKernelTests.expectSameBits(kernel, inputs, "column outputs \(dtype)")
  }

  @Test func theModesNeedARowLengthAndStayOutOfRowChains() throws {
    let kernel = KernelProgram(
      dtype: .float32, inputCount: 1, registerCount: 1, instructions: [],
      outputs: [lk_output(reg: 0, mode: UInt8(LK_COLSUM.rawValue))], rowLength: 0)
    let x = try Tensor([1, 2, 3], shape: [3], dtype: .float32)
    #expect(throws: (any Error).self) {
      try NativeKernelTests.run(kernel, [KernelOperand(x, strides: [1])], shape: [3], native: nil)
    }
    var outputs = [lk_output(reg: 0, mode: UInt8(LK_COLMAX.rawValue))]
    var values: [Float] = [1, 2, 3, 4]
    var result: [Float] = [0, 0]
    var shape: [Int64] = [2, 2]
    var strides: [Int64] = [2, 1]
    let status = outputs.withUnsafeMutableBufferPointer { outs in
      values.withUnsafeMutableBufferPointer { data in
        result.withUnsafeMutableBufferPointer { out in
          shape.withUnsafeMutableBufferPointer { shape in
            strides.withUnsafeMutableBufferPointer { strides in
              var program = lk_program(
                dtype: Int32(LK_F32.rawValue), n_inputs: 1, n_outputs: 1, n_regs: 1, n_insns: 0, insns: nil,
                outputs: outs.baseAddress, row_length: 2, native: nil, native_uniform: 0)
              var input = lk_operand(data: data.baseAddress, dtype: Int32(LK_F32.rawValue), strides: strides.baseAddress)
              var pointer: UnsafeMutableRawPointer? = UnsafeMutableRawPointer(out.baseAddress)
              return withUnsafeMutablePointer(to: &program) { program in
                withUnsafeMutablePointer(to: &input) { input in
                  withUnsafeMutablePointer(to: &pointer) { pointer in
                    var step = lk_chain_step(
                      program: program, ndim: 2, shape: shape.baseAddress, inputs: input, outputs: pointer, sums: nil,
                      unread: 0)
                    return lk_run_chain(&step, 1, 1)
                  }
                }
              }
            }
          }
        }
      }
    }
    #expect(status == LK_EINVAL, "a column output is complete only after every row")
  }
}
