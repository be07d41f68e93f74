import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// lk_matmul directly, for every instruction set the CPU has (each required to run): odd
/// shapes that reach each microkernel edge and each blocking boundary, strided and transposed
/// operands, batches, both threading splits and k = 0, against a double-accumulating reference.
struct MatmulKernelTests {
  /// How an operand matrix (rows x cols) is laid out in its buffer.
  enum Layout: CaseIterable {
    case rowMajor, columnMajor, gapped, repeatedRow

    /// Row and column strides, and the elements one matrix spans.
    func strides(rows: Int, cols: Int) -> (rs: Int, cs: Int, span: Int) {
      switch self {
      case .rowMajor: (cols, 1, rows * cols)
      case .columnMajor: (1, rows, rows * cols)
      case .gapped: (2 * cols + 3, 2, rows * (2 * cols + 3))  // every other element, padded rows
      case .repeatedRow: (0, 1, cols)  // every row is the same (a broadcast)
      }
    }
  }

  /// One batched product: operand buffers (values as stored in the dtype), their layouts,
  /// and the reference result with a rigorous error bound per element.
  struct Case {
    let batch: Int, n: Int, k: Int, m: Int
    let a: [Double], b: [Double]
    let aStrides: (rs: Int, cs: Int, span: Int), bStrides: (rs: Int, cs: Int, span: Int)
    let aOffsets: [Int64], bOffsets: [Int64]

    init(batch: Int = 1, _ n: Int, _ k: Int, _ m: Int, _ dtype: DType, a aLayout: Layout = .rowMajor,
         b bLayout: Layout = .rowMajor, sharedB: Bool = false) {
      (self.batch, self.n, self.k, self.m) = (batch, n, k, m)
      aStrides = aLayout.strides(rows: n, cols: k)
      bStrides = bLayout.strides(rows: k, cols: m)
      let bCount = sharedB ? 1 : batch
      a = KT.rounded(SeededGenerator.values(max(1, batch * aStrides.span), -1, 1, seed: UInt64(n * 31 + k)), dtype)
      b = KT.rounded(SeededGenerator.values(max(1, bCount * bStrides.span), -1, 1, seed: UInt64(m * 17 + k)), dtype)
      let (aSpan, bSpan) = (aStrides.span, sharedB ? 0 : bStrides.span)
      aOffsets = (0..<batch).map { Int64($0 * aSpan) }
      bOffsets = (0..<batch).map { Int64($0 * bSpan) }
    }

    /// The exact-ish product (double sums) and, per element, |error| allowed for `dtype`:
    /// (k + 2) units in the last place of the sum of |a_ip b_pj|, whatever the order.
    func reference(_ dtype: DType) -> (values: [Double], bounds: [Double]) {
      let unit = dtype == .float32 ? 0x1p-24 : 0x1p-53
      var values = [Double](repeating: 0, count: batch * n * m), bounds = values
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          for t in 0..<batch {
            let (ao, bo) = (Int(aOffsets[t]), Int(bOffsets[t]))
            for i in 0..<n {
              for j in 0..<m {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                  let x = a[ao + i * aStrides.rs + p * aStrides.cs] * b[bo + p * bStrides.rs + j * bStrides.cs]
                  sum += x
                  magnitude += Swift.abs(x)
                }
                values[(t * n + i) * m + j] = sum
                bounds[(t * n + i) * m + j] = Double(k + 2) * unit * magnitude
              }
            }
          }
        }
      }
      return (values, bounds)
    }

    /// C from lk_matmul_isa (prefilled with NaN, so unwritten elements show), or nil when
    /// the CPU lacks the instruction set.
    func run(_ isa: lk_isa, _ dtype: DType) -> [Double]? {
      let count = batch * n * m
      switch dtype {
      case .float32, .bool:
        var c = [Float](repeating: .nan, count: count)
        let (fa, fb) = (a.map { Float($0) }, b.map { Float($0) })
        let status = fa.withUnsafeBytes { a in
          fb.withUnsafeBytes { b in c.withUnsafeMutableBytes { call(isa, dtype, a, b, $0) } }
        }
        return status == LK_OK ? c.map { Double($0) } : nil
      case .float64:
        var c = [Double](repeating: .nan, count: count)
        let status = a.withUnsafeBytes { a in
          b.withUnsafeBytes { b in c.withUnsafeMutableBytes { call(isa, dtype, a, b, $0) } }
        }
        return status == LK_OK ? c : nil
      }
    }

    private func call(
      _ isa: lk_isa, _ dtype: DType, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer,
      _ c: UnsafeMutableRawBufferPointer
    ) -> lk_status {
      lk_matmul_isa(
        Int32(isa.rawValue), dtype.kernelCode, Int64(batch), aOffsets, bOffsets, Int64(n), Int64(k), Int64(m),
        a.baseAddress, Int64(aStrides.rs), Int64(aStrides.cs), b.baseAddress, Int64(bStrides.rs),
        Int64(bStrides.cs), c.baseAddress)
    }
  }

  static let isas = [LK_ISA_GENERIC, LK_ISA_AVX2, LK_ISA_AVX512]

  /// The instruction sets the CPU has, as Linux reports them in /proc/cpuinfo (an oracle
  /// independent of the kernel's own detection): the generic GEMM everywhere; on x86-64 AVX2
  /// with FMA, and AVX-512F on top of them. Elsewhere (no /proc/cpuinfo) only the generic one.
  static let cpuISAs: [lk_isa] = {
    var found = [LK_ISA_GENERIC]
    #if arch(x86_64)
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let line = cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
    let flags = Set(line.split(whereSeparator: \.isWhitespace).map(String.init))
    if flags.isSuperset(of: ["avx2", "fma"]) {
      found.append(LK_ISA_AVX2)
      if flags.contains("avx512f") { found.append(LK_ISA_AVX512) }
    }
    #endif
    return found
  }()

  /// Checks `c` against the reference on every instruction set, requiring that exactly those
  /// the CPU has ran.
  static func check(_ c: Case, _ dtype: DType, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (want, bounds) = c.reference(dtype)
    var ran: [UInt32] = []
    for isa in isas {
      guard let got = c.run(isa, dtype) else { continue }
      ran.append(isa.rawValue)
      let bad = got.indices.filter { !Tolerance(atol: bounds[$0]).accepts(got[$0], want[$0]) }
      if let first = bad.first {
        Issue.record(
          "isa \(isa.rawValue) \(dtype) \(c.batch)x\(c.n)x\(c.k)x\(c.m): \(bad.count) mismatches; first at \(first): got \(got[first]), want \(want[first]) ± \(bounds[first])",
          sourceLocation: sourceLocation)
      }
    }
    try #require(ran == cpuISAs.map(\.rawValue), "the instruction sets that ran are the CPU's", sourceLocation: sourceLocation)
    #expect(c.run(LK_ISA_BEST, dtype) != nil, sourceLocation: sourceLocation)
  }

  @Test(arguments: KT.floatTypes)
  func oddShapesHitEveryMicrotileEdge(dtype: DType) throws {
    // Microtiles are 14/6/4 rows by 32/16/8 float32 (16/8/4 float64) columns; slices are
    // 384 (float32) or 256 (float64) deep; 336/252 rows of A and 4096/3072 columns of B
    // are packed at once. Up to 4 rows, or 1 column of row-major B, skip packing.
    let shapes = [
      (1, 1, 1), (1, 7, 1), (7, 1, 7), (13, 33, 17), (14, 16, 32), (15, 17, 33), (6, 8, 16), (5, 9, 15),
      (29, 385, 65), (33, 257, 257), (257, 3, 7), (341, 5, 9), (3, 4, 4100), (1, 300, 129), (129, 300, 1),
      (4, 50, 70), (20, 30, 3), (20, 37, 2),
    ]
    for (n, k, m) in shapes { try Self.check(Case(n, k, m, dtype), dtype) }
  }

  @Test(arguments: KT.floatTypes)
  func stridedAndTransposedOperandsNeedNoCopy(dtype: DType) throws {
    for aLayout in Layout.allCases {
      for bLayout in Layout.allCases {
        for (n, k, m) in [(15, 17, 33), (29, 40, 7), (3, 21, 9), (9, 21, 2)] {
          try Self.check(Case(n, k, m, dtype, a: aLayout, b: bLayout), dtype)
        }
      }
    }
    try Self.check(Case(30, 385, 40, dtype, a: .columnMajor, b: .columnMajor), dtype)
  }

  @Test(.tags(.slow), arguments: KT.floatTypes)
  func batchesAndBothThreadSplits(dtype: DType) throws {
    try Self.check(Case(batch: 3, 5, 6, 7, dtype, sharedB: true), dtype)
    try Self.check(Case(batch: 40, 32, 64, 64, dtype), dtype)  // small items: half of the batch per thread
    try Self.check(Case(batch: 2, 161, 160, 160, dtype, b: .columnMajor), dtype)  // rows split per item
    try Self.check(Case(100, 300, 257, dtype, a: .columnMajor), dtype)  // wider than tall: columns split
    try Self.check(Case(2, 1_100_000, 3, dtype), dtype)  // a deep product of tiny C
    try Self.check(Case(600, 7000, 1, dtype), dtype)  // dot products, rows split
  }

  /// float32 C (n x m) of row-major A (n x k, rows lda apart) and B (k x m, rows ldb apart).
  static func product(_ a: [Float], lda: Int, _ b: [Float], ldb: Int, _ n: Int, _ k: Int, _ m: Int) -> [Float] {
    var c = [Float](repeating: .nan, count: n * m)
    let status = lk_matmul(DType.float32.kernelCode, 1, [0], [0], Int64(n), Int64(k), Int64(m), a, Int64(lda), 1, b, Int64(ldb), 1, &c)
    #expect(status == LK_OK)
    return c
  }

  @Test(arguments: [(300, 190), (120, 300)])
  func resultsDoNotDependOnTheThreadSplit(n: Int, m: Int) {
    // Large products run on two threads (rows split when n >= m, else columns), small ones
    // on one: the first rows, or the first columns, computed alone must be bit-identical.
    let k = 257
    let a = SeededGenerator.values(n * k, -1, 1, seed: 5).map { Float($0) }, b = SeededGenerator.values(k * m, -1, 1, seed: 6).map { Float($0) }
    let whole = Self.product(a, lda: k, b, ldb: m, n, k, m)
    let top = Self.product(a, lda: k, b, ldb: m, 17, k, m)
    #expect(top == Array(whole[0..<(17 * m)]))
    let left = Self.product(a, lda: k, b, ldb: m, n, k, 33)
    #expect((0..<n).allSatisfy { i in left[(i * 33)..<(i * 33 + 33)].elementsEqual(whole[(i * m)..<(i * m + 33)]) })
  }

  @Test(arguments: KT.floatTypes)
  func emptyDepthGivesZeros(dtype: DType) throws {
    let c = Case(batch: 2, 5, 0, 7, dtype)
    for isa in Self.cpuISAs {
      let got = try #require(c.run(isa, dtype), "isa \(isa.rawValue) did not run")
      #expect(got.allSatisfy { $0 == 0 })
    }
  }

  @Test func invalidArgumentsAreRejected() {
    let (a, b) = ([Float](repeating: 1, count: 4), [Float](repeating: 1, count: 4))
    var c = [Float](repeating: 0, count: 4)
    let offsets: [Int64] = [0]
    func call(isa: Int32 = 0, dtype: Int32 = 0, batch: Int64 = 1, n: Int64 = 2, k: Int64 = 2, m: Int64 = 2) -> lk_status {
      lk_matmul_isa(isa, dtype, batch, offsets, offsets, n, k, m, a, 2, 1, b, 2, 1, &c)
    }
    #expect(call() == LK_OK && c == [2, 2, 2, 2])
    #expect(call(dtype: 7) == LK_EINVAL)
    #expect(call(isa: 9) == LK_EINVAL)
    #expect(call(n: -1) == LK_EINVAL && call(k: -1) == LK_EINVAL && call(batch: -1) == LK_EINVAL)
    #expect(call(batch: 0) == LK_OK && call(n: 0) == LK_OK)
    #expect(lk_matmul(0, 1, offsets, offsets, 2, 2, 2, a, 2, 1, b, 2, 1, nil) == LK_EINVAL)
    #expect(lk_matmul(0, 1, nil, offsets, 2, 2, 2, a, 2, 1, b, 2, 1, &c) == LK_EINVAL)
  }
}
