import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The system BLAS behind `lk_matmul_with` (blas.c): when it runs, that its products agree
/// with the kernel's own GEMM, and that with it off (`LK_GEMM_OWN`, `lk_matmul`, the default
/// `Interpreter.Options.systemBLAS` false, `LOSSLANG_BLAS=0`) our GEMM runs. Tests that need a BLAS
/// require one (`libopenblas-dev`, which `.ci/run` installs).
///
/// Tolerance: each path's every element is within (k + 2) units in the last place of
/// Σ_p |a_ip b_pj| of the exact product (MatmulKernelTests' bound, whatever the summation
/// order), so the two paths agree within twice that.
struct SystemBLASTests {
  typealias Case = MatmulKernelTests.Case

  /// C from `lk_matmul_with(path)` (prefilled with NaN, so unwritten elements show) and
  /// whether BLAS computed it.
  static func run(_ c: Case, _ dtype: DType, _ path: lk_gemm_path) throws -> (values: [Double], usedBLAS: Bool) {
    var used: Int32 = -1
    func call(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, _ out: UnsafeMutableRawBufferPointer) -> lk_status {
      lk_matmul_with(
        Int32(path.rawValue), &used, dtype.kernelCode, Int64(c.batch), c.aOffsets, c.bOffsets, Int64(c.n),
        Int64(c.k), Int64(c.m), a.baseAddress, Int64(c.aStrides.rs), Int64(c.aStrides.cs), b.baseAddress,
        Int64(c.bStrides.rs), Int64(c.bStrides.cs), out.baseAddress)
    }
    let count = c.batch * c.n * c.m
    let status: lk_status, values: [Double]
    if dtype == .float64 {
      var out = [Double](repeating: .nan, count: count)
      status = c.a.withUnsafeBytes { a in c.b.withUnsafeBytes { b in out.withUnsafeMutableBytes { call(a, b, $0) } } }
      values = out
    } else {
      var out = [Float](repeating: .nan, count: count)
      let (fa, fb) = (c.a.map { Float($0) }, c.b.map { Float($0) })
      status = fa.withUnsafeBytes { a in fb.withUnsafeBytes { b in out.withUnsafeMutableBytes { call(a, b, $0) } } }
      values = out.map { Double($0) }
    }
    try #require(status == LK_OK)
    try #require(used == 0 || used == 1, "used_blas is set")
    return (values, used == 1)
  }

  /// Runs `c` on BLAS (required to take it when `blas`) and on our GEMM, both checked against
  /// the reference within its bound.
  static func checkBothPaths(_ c: Case, _ dtype: DType, blas: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (want, bounds) = c.reference(dtype)
    let system = try run(c, dtype, LK_GEMM_SYSTEM), own = try run(c, dtype, LK_GEMM_OWN)
    let label = "\(dtype) \(c.batch)x\(c.n)x\(c.k)x\(c.m)"
    #expect(system.usedBLAS == blas, "BLAS ran for \(label)", sourceLocation: sourceLocation)
    #expect(!own.usedBLAS, "LK_GEMM_OWN kept our GEMM for \(label)", sourceLocation: sourceLocation)
    for (name, got) in [("blas", system.values), ("own", own.values)] {
      let bad = got.indices.filter { !Tolerance(atol: bounds[$0]).accepts(got[$0], want[$0]) }
      if let first = bad.first {
        Issue.record(
          "\(name) \(label): \(bad.count) mismatches; first at \(first): got \(got[first]), want \(want[first]) ± \(bounds[first])",
          sourceLocation: sourceLocation)
      }
    }
  }

  /// The system BLAS's file name, required: the test needs one installed.
  static func requireBLAS() throws -> String {
    try #require(GEMMSetting.systemLibrary, "no system BLAS (install libopenblas-dev)")
  }

  @Test(arguments: KT.floatTypes)
  func everyTransposeAndOddShapeAgreesWithOurGEMM(dtype: DType) throws {
    _ = try Self.requireBLAS()
    let layouts: [MatmulKernelTests.Layout] = [.rowMajor, .columnMajor]  // as stored, or transposed
    for aLayout in layouts {
      for bLayout in layouts {
        for (n, k, m) in [(1, 1, 1), (1, 7, 1), (7, 1, 7), (13, 33, 17), (29, 385, 65), (3, 4, 130), (130, 5, 2)] {
          try Self.checkBothPaths(Case(n, k, m, dtype, a: aLayout, b: bLayout), dtype, blas: true)
        }
      }
    }
    try Self.checkBothPaths(Case(batch: 3, 9, 20, 11, dtype, b: .columnMajor), dtype, blas: true)
    try Self.checkBothPaths(Case(batch: 2, 5, 6, 7, dtype, sharedB: true), dtype, blas: true)
  }

  @Test(arguments: KT.floatTypes)
  func layoutsBLASCannotTakeAndEmptyProductsStayOnOurGEMM(dtype: DType) throws {
    _ = try Self.requireBLAS()
    // A gapped operand (no unit stride) or a broadcast row (stride 0): our GEMM, which reads any strides.
    try Self.checkBothPaths(Case(15, 17, 33, dtype, a: .gapped), dtype, blas: false)
    try Self.checkBothPaths(Case(15, 17, 33, dtype, b: .repeatedRow), dtype, blas: false)
    // Empty dimensions: nothing to compute (k = 0 gives zeros, from our GEMM).
    for (batch, n, k, m) in [(0, 3, 4, 5), (2, 0, 4, 5), (2, 3, 4, 0), (2, 3, 0, 5)] {
      try Self.checkBothPaths(Case(batch: batch, n, k, m, dtype), dtype, blas: false)
    }
    let zeros = try Self.run(Case(batch: 2, 3, 0, 5, dtype), dtype, LK_GEMM_SYSTEM)
    #expect(zeros.values == [Double](repeating: 0, count: 30))
  }

  @Test func automaticPathSendsOnlyLargeProductsToBLAS() throws {
    _ = try Self.requireBLAS()
    // LK_BLAS_MIN_MACS is 2^22 multiply-adds: 8 x 8 x 8 is far below, 256 x 128 x 160 above.
    #expect(try Self.run(Case(8, 8, 8, .float32), .float32, LK_GEMM_AUTO).usedBLAS == false)
    #expect(try Self.run(Case(256, 128, 160, .float32), .float32, LK_GEMM_AUTO).usedBLAS == true)
    #expect(try Self.run(Case(256, 128, 160, .float32), .float32, LK_GEMM_OWN).usedBLAS == false)
  }

  @Test func unknownPathIsRejected() {
    let (a, b) = ([Float](repeating: 1, count: 4), [Float](repeating: 1, count: 4))
    var c = [Float](repeating: 0, count: 4)
    var used: Int32 = -1
    #expect(lk_matmul_with(3, &used, 0, 1, [0], [0], 2, 2, 2, a, 2, 1, b, 2, 1, &c) == LK_EINVAL)
    #expect(used == 0)
    #expect(lk_matmul_with(Int32(LK_GEMM_OWN.rawValue), nil, 0, 1, [0], [0], 2, 2, 2, a, 2, 1, b, 2, 1, &c) == LK_OK)
    #expect(c == [2, 2, 2, 2])
  }

  /// How many products of `source`'s run the system BLAS computed, under `systemBLAS`.
  static func blasProducts(_ source: String, systemBLAS: Bool) throws -> (value: Value, count: Int) {
    var options = Interpreter.Options()
    options.systemBLAS = systemBLAS
    let interpreter = try Interpreter(options: options)
    let value = try interpreter.run(source)
    return (value, interpreter.context.gemm.systemProducts)
  }

  @Test func interpreterOptionChoosesTheGEMM() throws {
    _ = try Self.requireBLAS()
    // 300 x 200 x 300 = 1.8e7 multiply-adds: above the threshold; each element is 200.
    let source = "c = ones([300, 200]) @ ones([200, 300])\nc[7, 9] + c[299, 299]"
    let on = try Self.blasProducts(source, systemBLAS: true), off = try Self.blasProducts(source, systemBLAS: false)
    #expect(on.count == 1)
    #expect(off.count == 0)
    for run in [on, off] { #expect(run.value.tensor?.scalarValue == 400) }
  }

  @Test func blasIsOffUnlessTheOptionOrEnvironmentTurnsItOn() throws {
    #expect(!InterpreterOptions().systemBLAS)
    #expect(try !InterpreterOptions().applyingEnvironment([:]).systemBLAS)
    #expect(!ExecutionContext().gemm.systemBLAS)
    #expect(try InterpreterOptions().applyingEnvironment(["LOSSLANG_BLAS": "1"]).systemBLAS)
    #expect(try InterpreterOptions().applyingEnvironment(["LOSSLANG_BLAS": "on"]).systemBLAS)
    var on = InterpreterOptions()
    on.systemBLAS = true
    #expect(try !on.applyingEnvironment(["LOSSLANG_BLAS": "0"]).systemBLAS)
    #expect(try !on.applyingEnvironment(["LOSSLANG_BLAS": "off"]).systemBLAS)
    #expect(try on.applyingEnvironment(["LOSSLANG_BLAS": ""]).systemBLAS)
    #expect(throws: LossLangError.self) { try on.applyingEnvironment(["LOSSLANG_BLAS": "yes"]) }
  }

  @Test func lkMatmulKeepsOurGEMM() throws {
    _ = try Self.requireBLAS()
    // The same large product through lk_matmul and LK_GEMM_OWN: bit-identical, where BLAS
    // (summing in another order at this depth) differs in the last bits somewhere.
    let c = Case(64, 1000, 100, .float32)
    try #require(try Self.run(c, .float32, LK_GEMM_SYSTEM).values != (try Self.run(c, .float32, LK_GEMM_OWN).values))
    let a = c.a.map { Float($0) }, b = c.b.map { Float($0) }
    var plain = [Float](repeating: .nan, count: c.n * c.m)
    #expect(lk_matmul(0, 1, [0], [0], 64, 1000, 100, a, 1000, 1, b, 100, 1, &plain) == LK_OK)
    #expect(plain.map { Double($0) } == (try Self.run(c, .float32, LK_GEMM_OWN).values))
  }

  @Test func loadedLibraryIsAnOptimizedBLAS() throws {
    let name = try Self.requireBLAS()
    #expect(["libopenblas.so.0", "libcblas.so.3", "libblas.so.3"].contains(name))
  }

  @Test func openBLASMultipliesWithTheCallersThreadLimit() throws {
    let library = try Self.requireBLAS()
    try #require(library.contains("openblas"), "only OpenBLAS has a thread setting, not \(library)")
    for limit: Int32 in [1, 2, 1] {
      let previous = lk_set_threads(limit)
      defer { lk_set_threads(previous) }
      #expect(try Self.run(Case(13, 33, 17, .float32), .float32, LK_GEMM_SYSTEM).usedBLAS)
      #expect(lk_blas_threads() == limit)
    }
  }
}
