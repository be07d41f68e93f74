import Testing

@testable import LossLang

/// Batched matmul with broadcast batch axes against a triple-loop reference.
struct MatmulTests {
  /// Reference product of a [n, k] and b [k, m] matrices stored flat.
  static func reference(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>, n: Int, k: Int, m: Int) -> [Double] {
    let (a, b) = (Array(a), Array(b))
    return (0..<n * m).map { ij in
      (0..<k).reduce(0.0) { $0 + a[ij / m * k + $1] * b[$1 * m + ij % m] }
    }
  }

  @Test(arguments: KT.floatTypes)
  func matmulMatchesReference(dtype: DType) throws {
    for (n, k, m) in [(1, 1, 1), (2, 3, 4), (5, 300, 7), (17, 33, 260), (3, 0, 2)] {
      let av = SeededGenerator.values(n * k, seed: 1).map { $0.rounded() }, bv = SeededGenerator.values(k * m, seed: 2).map { $0.rounded() }
      let c = try Tensor.matmul(try KT.tensor(av, [n, k], dtype), try KT.tensor(bv, [k, m], dtype))
      KT.expectClose(c, Self.reference(av[...], bv[...], n: n, k: k, m: m), shape: [n, m], dtype)
    }
  }

  @Test(arguments: KT.floatTypes)
  func batchedMatmulBroadcastsBatchAxes(dtype: DType) throws {
    let (n, k, m) = (3, 4, 5)
    let av = SeededGenerator.values(2 * 1 * n * k, seed: 3), bv = SeededGenerator.values(3 * k * m, seed: 4)
    let a = try KT.tensor(av, [2, 1, n, k], dtype), b = try KT.tensor(bv, [3, k, m], dtype)
    let c = try Tensor.matmul(a, b)
    let (ar, br) = (KT.rounded(av, dtype), KT.rounded(bv, dtype))
    var want: [Double] = []
    for i in 0..<2 {
      for j in 0..<3 {
        want += Self.reference(ar[(i * n * k)..<((i + 1) * n * k)], br[(j * k * m)..<((j + 1) * k * m)], n: n, k: k, m: m)
      }
    }
    KT.expectClose(c, want, shape: [2, 3, n, m], dtype, scale: 4)
    let mixed = try Tensor.matmul(a, try b.converted(to: .float64))
    #expect(mixed.dtype == .float64 && mixed.shape == [2, 3, n, m])
  }

  @Test func matmulErrorsNameShapes() throws {
    let a = try Tensor(zeros: [2, 3], dtype: .float32), b = try Tensor(zeros: [4, 5], dtype: .float32)
    do {
      _ = try Tensor.matmul(a, b)
      Issue.record("expected an error")
    } catch let error as TensorError {
      #expect(error.message == "matmul: shapes [2, 3] and [4, 5] are not aligned (3 != 4)")
    }
    #expect(throws: TensorError.self) { try Tensor.matmul(try Tensor(zeros: [3], dtype: .float32), a) }
    let batched = try Tensor(zeros: [2, 3, 3], dtype: .float32), other = try Tensor(zeros: [4, 3, 3], dtype: .float32)
    #expect(throws: TensorError.self) { try Tensor.matmul(batched, other) }
  }
}
