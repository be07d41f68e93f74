import Testing

@testable import LossLang

/// Layout and indexing kernels: cast, permute, broadcast, reshape, gather, scatter-add, concat, full.
struct IndexingTests {
  @Test func convertedRoundsAndRoundTrips() throws {
    let x = try KT.tensor([1.0 / 3, 1e300, -2, .nan], [2, 2], .float64)
    let f = try x.converted(to: .float32)
    #expect(f.dtype == .float32 && f.shape == [2, 2])
    let v = f.scalars
    #expect(v[0] == Double(Float(1.0 / 3)) && v[1] == .infinity && v[2] == -2 && v[3].isNaN)
    let back = try f.converted(to: .float64)
    #expect(back.dtype == .float64 && back.scalars[0] == Double(Float(1.0 / 3)))
    #expect(try x.converted(to: .float64).storage === x.storage)
  }

  @Test(arguments: KT.floatTypes)
  func permutedMatchesReference(dtype: DType) throws {
    for (shape, perm) in [([2, 3, 4], [2, 0, 1]), ([3, 1025], [1, 0]), ([1024, 3], [1, 0]), ([2, 1, 3], [1, 2, 0])] {
      let xs = SeededGenerator.values(shape.reduce(1, *), seed: 9).map { $0.rounded() }
      let x = try KT.tensor(xs, shape, dtype)
      let outShape = perm.map { shape[$0] }
      let strides = Broadcast.contiguousStrides(shape)
      let want = (0..<xs.count).map { flat in
        let index = MultiIndex.of(flat, in: outShape)
        return xs[zip(index, perm).reduce(0) { $0 + $1.0 * strides[$1.1] }]
      }
      let got = try x.permuted(perm)
      #expect(got.shape == outShape && got.scalars == want)
    }
  }

  @Test(arguments: KT.floatTypes)
  func broadcastToAndReshape(dtype: DType) throws {
    let x = try KT.tensor([1, 2, 3], [3, 1], dtype)
    let b = try x.broadcast(to: [2, 3, 2])
    #expect(b.shape == [2, 3, 2] && b.scalars == [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
    #expect(throws: TensorError.self) { try x.broadcast(to: [2, 2]) }
    #expect(throws: TensorError.self) { try x.broadcast(to: [1]) }
    let r = try b.reshaped([12])
    #expect(r.shape == [12] && r.storage === b.storage)
    #expect(throws: TensorError.self) { try b.reshaped([5]) }
  }

  @Test(arguments: KT.floatTypes)
  func gatherScatterRoundTrip(dtype: DType) throws {
    // Five parts of lk_gather's 2048 indices, split over the workers there are.
    let n = 10_000
    let xs = SeededGenerator.values(n, seed: 11).map { $0.rounded() }
    let x = try KT.tensor(xs, [10, 1000], dtype)
    let perm = (0..<n).map { ($0 * 7) % n }  // a permutation since gcd(7, 10 000) = 1
    let g = try x.gathered(perm, shape: [1000, 10])
    #expect(g.shape == [1000, 10] && g.scalars == perm.map { xs[$0] })
    let back = try Tensor.scatterAdd(g, indices: perm, shape: [10, 1000])
    #expect(back.scalars == xs && back.dtype == dtype)
    let sums = try Tensor.scatterAdd(try KT.tensor([1, 2, 3, 4], [4], dtype), indices: [0, 2, 0, 2], shape: [3])
    #expect(sums.scalars == [4, 0, 6])
    let picked = try x.gathered([5, 5], shape: [2])
    #expect(picked.scalars == [xs[5], xs[5]])
  }

  @Test func concatPromotesAndChecksShapes() throws {
    let a = try KT.tensor([1, 2, 3, 4], [2, 2], .float32)
    let b = try KT.tensor([5, 6], [2, 1], .float64)
    let c = try Tensor.concat([a, b], axis: 1)
    #expect(c.shape == [2, 3] && c.dtype == .float64 && c.scalars == [1, 2, 5, 3, 4, 6])
    let rows = try Tensor.concat([a, a, try KT.tensor([9, 9], [1, 2], .float32)], axis: 0)
    #expect(rows.shape == [5, 2] && rows.scalars == [1, 2, 3, 4, 1, 2, 3, 4, 9, 9])
    #expect(throws: TensorError.self) { try Tensor.concat([a, b], axis: 0) }
    #expect(throws: TensorError.self) { try Tensor.concat([a, try KT.tensor([1, 2], [2], .float32)], axis: 0) }
  }

  @Test(arguments: KT.floatTypes)
  func fullFillsEveryTile(dtype: DType) throws {
    let f = try Tensor.full([3, 1025], value: -2.5, dtype: dtype)
    #expect(f.shape == [3, 1025] && f.scalars.allSatisfy { $0 == -2.5 })
    #expect(try Tensor.full([], value: 7, dtype: dtype).scalars == [7])
    #expect(try Tensor.full([2], value: -0.0, dtype: dtype).scalars.allSatisfy { $0 == 0 && $0.sign == .minus })
    #expect(try Tensor.full([0, 4], value: 1, dtype: dtype).count == 0)
  }
}
