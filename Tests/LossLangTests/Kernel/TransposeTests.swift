import CLossKernel
import Testing

@testable import LossLang

/// Permutes: the cache-blocked transpose for swaps of trailing axis groups and the strided
/// copy for the rest, against index arithmetic.
struct TransposeTests {
  /// The permuted values of a contiguous `shape` computed from indices.
  static func reference(_ values: [Double], _ shape: [Int], _ perm: [Int]) -> [Double] {
    let out = perm.map { shape[$0] }
    let inStrides = Broadcast.contiguousStrides(shape)
    return (0..<values.count).map { flat in
      var rem = flat, offset = 0
      for axis in out.indices.reversed() {
        offset += (rem % out[axis]) * inStrides[perm[axis]]
        rem /= out[axis]
      }
      return values[offset]
    }
  }

  @Test func blockSwapsAreRecognized() {
    #expect(Tensor.blockSwap([1, 0], [3, 4])! == (1, 3, 4))
    #expect(Tensor.blockSwap([0, 2, 3, 1], [2, 3, 4, 5])! == (2, 3, 20))
    #expect(Tensor.blockSwap([2, 0, 1], [2, 3, 4])! == (1, 6, 4))
    #expect(Tensor.blockSwap([1, 0, 2], [2, 3, 4]) == nil)
    #expect(Tensor.blockSwap([0, 1], [2, 3]) == nil)
  }

  @Test(arguments: KT.floatTypes)
  func everyPermutationMatchesIndexArithmetic(dtype: DType) throws {
    let cases: [([Int], [[Int]])] = [
      ([37, 70], [[1, 0]]),
      ([3, 33, 65], [[0, 2, 1], [2, 0, 1], [1, 2, 0], [1, 0, 2], [2, 1, 0]]),
      ([2, 3, 4, 5], [[0, 2, 3, 1], [0, 3, 1, 2], [3, 2, 1, 0], [0, 1, 3, 2]]),
      ([0, 4], [[1, 0]]),
    ]
    for (shape, perms) in cases {
      let values = KT.rounded(SeededGenerator.values(shape.reduce(1, *), seed: 53), dtype)
      let x = try KT.tensor(values, shape, dtype)
      for perm in perms {
        let y = try x.permuted(perm)
        #expect(y.shape == perm.map { shape[$0] })
        #expect(y.scalars == Self.reference(values, shape, perm), "\(shape) \(perm)")
      }
    }
  }

  /// Matrix transposes whose edges cut the float32 kernel's 4 × 4 register tiles and 16-square
  /// blocks (and the 32-row parts) at every remainder, batched and with power-of-two rows; the
  /// last two reach 8 MiB in float32, where the tiles are stored past the cache.
  @Test(arguments: KT.floatTypes)
  func transposesMatchAtEveryTileEdge(dtype: DType) throws {
    let shapes = [[1, 1], [3, 5], [4, 4], [5, 4], [4, 5], [16, 16], [17, 15], [15, 17], [33, 31], [2, 36, 52],
                  [3, 7, 64], [20, 4096], [4096, 6], [2048, 1027], [2, 1024, 1030]]
    for shape in shapes {
      let values = KT.rounded(SeededGenerator.values(shape.reduce(1, *), seed: 71), dtype)
      let x = try KT.tensor(values, shape, dtype)
      let perm = Array(0..<shape.count - 2) + [shape.count - 1, shape.count - 2]
      #expect(try x.permuted(perm).scalars == Self.reference(values, shape, perm), "\(shape)")
    }
  }

  @Test func badArgumentsAreRejected() {
    #expect(lk_transpose(7, 1, 2, 2, nil, nil) == LK_EINVAL)
    #expect(lk_transpose(Int32(LK_F32.rawValue), 1, -1, 2, nil, nil) == LK_EINVAL)
    #expect(lk_transpose(Int32(LK_F32.rawValue), 1, 2, 2, nil, nil) == LK_EINVAL)
    #expect(lk_transpose(Int32(LK_F32.rawValue), 0, 2, 2, nil, nil) == LK_OK)
  }
}
