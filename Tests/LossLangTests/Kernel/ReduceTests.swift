import Foundation
import Testing

@testable import LossLang

/// Reductions, logsumexp and argmax / argmin against Swift references.
struct ReduceTests {
  /// Groups input values by output position (C order over the kept axes).
  static func groups(_ values: [Double], _ shape: [Int], axes: [Int]) -> [[Double]] {
    let kept = shape.indices.filter { !axes.contains($0) }
    let outCount = kept.map { shape[$0] }.reduce(1, *)
    var groups = [[Double]](repeating: [], count: outCount)
    for (flat, v) in values.enumerated() {
      let index = MultiIndex.of(flat, in: shape)
      let o = kept.reduce(0) { $0 * shape[$1] + index[$1] }
      groups[o].append(v)
    }
    return groups
  }

  /// The Swift reference of a reduction of one group.
  static func reference(_ op: ReduceOp, _ g: [Double]) -> Double {
    switch op {
    case .sum: g.reduce(0, +)
    case .prod: g.reduce(1, *)
    case .max: g.contains(where: \.isNaN) ? .nan : g.reduce(-.infinity) { Swift.max($0, $1) }
    case .min: g.contains(where: \.isNaN) ? .nan : g.reduce(.infinity) { Swift.min($0, $1) }
    }
  }

  @Test(arguments: KT.floatTypes)
  func reductionsOverAxisSets(dtype: DType) throws {
    let cases: [([Int], [Int])] = [([2, 3, 4], [1]), ([2, 3, 4], [0, 2]), ([2, 3, 4], [2]), ([2, 3, 4], [0]),
                                   ([2, 3, 4], [0, 1, 2]), ([3000], [0]), ([5, 1, 1025], [0, 1]), ([4, 1, 3], [1]),
                                   ([1023, 3], [0]), ([2, 0, 3], [0]), ([3, 7, 2, 5], [1, 3])]
    for (shape, axes) in cases {
      let xs = KT.rounded(SeededGenerator.values(shape.reduce(1, *), 0.5, 1.5, seed: 3), dtype)
      let x = try KT.tensor(xs, shape, dtype)
      let g = Self.groups(xs, shape, axes: axes)
      for op in [ReduceOp.sum, .prod, .max, .min] where !(shape.contains(0) && (op == .max || op == .min)) {
        let want = KT.rounded(g.map { Self.reference(op, $0) }, dtype)
        let kept = Tensor.reducedShape(shape, axes: axes, keepdims: true)
        KT.expectClose(try x.reduced(op, axes: axes, keepdims: true), want, shape: kept, dtype, scale: 10)
        let dropped = shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        KT.expectClose(try x.reduced(op, axes: axes, keepdims: false), want, shape: dropped, dtype, scale: 10)
      }
    }
  }

  @Test func sumAccumulatesInDoubleAndEdgeCases() throws {
    // 2^24 + 1 ones: a float accumulator would stop at 2^24.
    let n = (1 << 24) + 4
    let ones = try Tensor.full([n], value: 1, dtype: .float32)
    #expect(try ones.reduced(.sum, axes: [0], keepdims: false).scalars == [Double(Float(n))])
    let scalar = Tensor(scalar: 3, dtype: .float64)
    #expect(try scalar.reduced(.sum, axes: [], keepdims: false).scalars == [3])
    let x = try KT.tensor([1, .nan, 3, 4], [2, 2], .float32)
    #expect(try x.reduced(.max, axes: [1], keepdims: false).scalars.map(\.isNaN) == [true, false])
    #expect(try x.reduced(.min, axes: [0], keepdims: false).scalars.map(\.isNaN) == [false, true])
    #expect(throws: TensorError.self) { try Tensor(zeros: [0, 2], dtype: .float32).reduced(.max, axes: [0], keepdims: false) }
    #expect(try Tensor(zeros: [0, 2], dtype: .float32).reduced(.prod, axes: [0], keepdims: false).scalars == [1, 1])
  }

  @Test(arguments: KT.floatTypes)
  func logsumexpMatchesReferenceAndIsStable(dtype: DType) throws {
    let shape = [3, 1025, 2]
    let xs = KT.rounded(SeededGenerator.values(shape.reduce(1, *), -1e3, 1e3, seed: 5), dtype)
    let x = try KT.tensor(xs, shape, dtype)
    for axes in [[1], [0, 2], [0, 1, 2], [2]] {
      let want = KT.rounded(Self.groups(xs, shape, axes: axes).map { g in
        let m = g.max() ?? 0
        return m + Foundation.log(g.reduce(0) { $0 + Foundation.exp($1 - m) })
      }, dtype)
      let outShape = Tensor.reducedShape(shape, axes: axes, keepdims: false)
      KT.expectClose(try x.logsumexp(axes: axes, keepdims: false), want, shape: outShape, dtype)
    }
    let edge = try KT.tensor([1e3, 1e3, -1e3, -1e3, -.infinity, -.infinity, .infinity, 1, .nan, 1, -.infinity, 0],
                             [6, 2], dtype)
    let got = try edge.logsumexp(axes: [1], keepdims: true)
    KT.expectClose(got, [1e3 + Foundation.log(2), -1e3 + Foundation.log(2), -.infinity, .infinity, .nan, 0],
                   shape: [6, 1], dtype)
  }

  @Test(arguments: KT.floatTypes)
  func argReduceTakesFirstOccurrence(dtype: DType) throws {
    let x = try KT.tensor([1, 3, 3, 0, 0, 2, 7, 7, -1, -1, .nan, 5], [3, 4], dtype)
    #expect(try x.argReduce(max: true, axis: 1, keepdims: false).scalars == [1, 2, 2])
    #expect(try x.argReduce(max: false, axis: 1, keepdims: false).scalars == [3, 0, 2])
    let col = try x.argReduce(max: true, axis: 0, keepdims: true)
    #expect(col.shape == [1, 4] && col.scalars == [0, 0, 2, 1])
    #expect(try x.argReduce(max: false, axis: 0, keepdims: false).scalars == [2, 2, 2, 0])
    let ties = try KT.tensor([2, -1, -1, 2], [1, 4], dtype)
    #expect(try ties.argReduce(max: false, axis: 1, keepdims: false).scalars == [1])
    #expect(try ties.argReduce(max: true, axis: 1, keepdims: false).scalars == [0])
    let flat = try x.argReduce(max: true, axis: nil, keepdims: false)
    #expect(flat.shape == [] && flat.scalars == [10])
    #expect(flat.dtype == dtype)
    let flatMin = try KT.tensor([4, 1, 1, 2], [2, 2], dtype).argReduce(max: false, axis: nil, keepdims: true)
    #expect(flatMin.shape == [1, 1] && flatMin.scalars == [1])
    #expect(throws: TensorError.self) { try Tensor(zeros: [0], dtype: dtype).argReduce(max: true, axis: nil, keepdims: false) }
  }
}
