import Foundation
import Testing

@testable import LossLang

/// The VM's unary, binary and select opcodes against Swift references.
struct ElementwiseTests {
  /// The Swift reference for a unary op, in Double.
  static func reference(_ op: UnaryOp, _ x: Double) -> Double {
    switch op {
    case .neg: -x
    case .exp: Foundation.exp(x)
    case .log: Foundation.log(x)
    case .log1p: Foundation.log1p(x)
    case .expm1: Foundation.expm1(x)
    case .sqrt: x.squareRoot()
    case .abs: Swift.abs(x)
    case .sign: x > 0 ? 1 : x < 0 ? -1 : 0
    case .sin: Foundation.sin(x)
    case .cos: Foundation.cos(x)
    case .tanh: Foundation.tanh(x)
    case .sigmoid: x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    case .logsigmoid: x < 0 ? x - Foundation.log1p(Foundation.exp(x)) : -Foundation.log1p(Foundation.exp(-x))
    case .softplus: x > 20 ? x : Foundation.log1p(Foundation.exp(x))
    case .floor: x.rounded(.down)
    case .ceil: x.rounded(.up)
    case .round: x.rounded(.toNearestOrEven)
    case .reciprocal: 1 / x
    }
  }

  /// The Swift reference for a binary op, in Double.
  static func reference(_ op: BinaryOp, _ a: Double, _ b: Double) -> Double {
    switch op {
    case .add: a + b
    case .sub: a - b
    case .mul: a * b
    case .div: a / b
    case .pow: Foundation.pow(a, b)
    case .maximum: a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    case .minimum: a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
    case .less: a < b ? 1 : 0
    case .lessEqual: a <= b ? 1 : 0
    case .greater: a > b ? 1 : 0
    case .greaterEqual: a >= b ? 1 : 0
    case .equal: a == b ? 1 : 0
    case .notEqual: a != b ? 1 : 0
    }
  }

  /// Inputs covering the interesting range plus special values.
  static let specials: [Double] = [0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 1, -1, 20, 20.5, -20, 1e3, -1e3, .infinity, -.infinity, .nan]

  @Test(arguments: KT.floatTypes)
  func unaryOpsMatchReferenceAcrossTileSizes(dtype: DType) throws {
    for n in [1, 1023, 1024, 1025, 3000] {
      let xs = KT.rounded(Array((Self.specials + SeededGenerator.values(n, -6, 6, seed: UInt64(n))).prefix(n)), dtype)
      let x = try KT.tensor(xs, [n], dtype)
      for op in UnaryOp.allCases {
        // libm's float pow/exp differ from the double reference by a few ulp at |x| ~ 6.
        let scale = dtype == .float32 && [.exp, .expm1, .sin, .cos].contains(op) ? 4.0 : 1.0
        let want = KT.rounded(xs.map { Self.reference(op, $0) }, dtype)
        KT.expectClose(try x.unary(op), want, shape: [n], dtype, scale: scale)
      }
    }
  }

  @Test(arguments: KT.floatTypes)
  func stableActivationsAtExtremes(dtype: DType) throws {
    let x = try KT.tensor([1e3, -1e3, .infinity, -.infinity, .nan, 0], [6], dtype)
    KT.expectClose(try x.unary(.sigmoid), [1, 0, 1, 0, .nan, 0.5], shape: [6], dtype)
    KT.expectClose(try x.unary(.logsigmoid), [0, -1e3, 0, -.infinity, .nan, -Foundation.log(2)], shape: [6], dtype)
    KT.expectClose(try x.unary(.softplus), [1e3, 0, .infinity, 0, .nan, Foundation.log(2)], shape: [6], dtype)
    // Round is half-to-even, sign of NaN and ±0 is 0 like torch.
    let r = try KT.tensor([0.5, 1.5, 2.5, -0.5, -1.5], [5], dtype).unary(.round)
    KT.expectClose(r, [0, 2, 2, 0, -2], shape: [5], dtype)
    KT.expectClose(try KT.tensor([.nan, -0.0, 0], [3], dtype).unary(.sign), [0, 0, 0], shape: [3], dtype)
  }

  @Test(arguments: KT.floatTypes)
  func binaryOpsBroadcast(dtype: DType) throws {
    let cases: [([Int], [Int])] = [([3, 1], [1, 4]), ([], [2, 3]), ([2, 3], []), ([2, 3], [3]), ([4], [4]),
                                   ([1025, 1], [1, 3]), ([3, 1025], [1025]), ([2, 1, 1024], [3, 1])]
    for (sa, sb) in cases {
      let shape = try Broadcast.shape(sa, sb)
      let av = KT.rounded(SeededGenerator.values(sa.reduce(1, *), -3, 3, seed: 7), dtype)
      let bv = KT.rounded(SeededGenerator.values(sb.reduce(1, *), -3, 3, seed: 8).map { $0.rounded() / 2 }, dtype)
      let (a, b) = (try KT.tensor(av, sa, dtype), try KT.tensor(bv, sb, dtype))
      let ia = KT.broadcastIndex(sa, over: shape), ib = KT.broadcastIndex(sb, over: shape)
      for op in BinaryOp.allCases {
        let want = KT.rounded(zip(ia, ib).map { Self.reference(op, av[$0], bv[$1]) }, dtype)
        KT.expectClose(try Tensor.binary(op, a, b), want, shape: shape, dtype, scale: op == .pow ? 4 : 1)
      }
    }
  }

  @Test func binaryPromotesMixedDtypes() throws {
    let a = try KT.tensor([1.0 / 3, 2], [2], .float32)
    let b = try KT.tensor([1e-10, 1], [2], .float64)
    let sum = try Tensor.binary(.add, a, b)
    #expect(sum.dtype == .float64)
    #expect(sum.scalars == [Double(Float(1.0 / 3)) + 1e-10, 3])
  }

  @Test func maximumMinimumPropagateNaNAndComparisonsHandleNaN() throws {
    let a = try KT.tensor([.nan, 1, 2, .nan], [4], .float32)
    let b = try KT.tensor([1, .nan, 1, .nan], [4], .float32)
    KT.expectClose(try Tensor.binary(.maximum, a, b), [.nan, .nan, 2, .nan], shape: [4], .float32)
    KT.expectClose(try Tensor.binary(.minimum, a, b), [.nan, .nan, 1, .nan], shape: [4], .float32)
    #expect(try Tensor.binary(.equal, a, b).scalars == [0, 0, 0, 0])
    #expect(try Tensor.binary(.notEqual, a, b).scalars == [1, 1, 1, 1])
  }

  @Test(arguments: KT.floatTypes)
  func selectBroadcastsAllThree(dtype: DType) throws {
    let cond = try KT.tensor([1, 0, .nan], [3, 1], dtype)
    let a = try KT.tensor([10, 20], [2], dtype)
    let b = Tensor(scalar: -1, dtype: dtype)
    let r = try Tensor.select(cond, a, b)
    KT.expectClose(r, [10, 20, -1, -1, 10, 20], shape: [3, 2], dtype)
    let tiny = try KT.tensor([1e-300, 0], [2], .float64)
    let f = try Tensor.select(tiny, try KT.tensor([1, 1], [2], .float32), try KT.tensor([2, 2], [2], .float32))
    #expect(f.dtype == .float32 && f.scalars == [1, 2])
  }

  @Test func badBroadcastThrows() throws {
    let a = try Tensor(SeededGenerator.values(6), shape: [2, 3])
    let b = try Tensor(SeededGenerator.values(4), shape: [4])
    #expect(throws: TensorError.self) { try Tensor.binary(.add, a, b) }
    do {
      _ = try Broadcast.shape([2, 3], [4])
      Issue.record("expected an error")
    } catch let error as TensorError {
      #expect(error.message == "shapes [2, 3] and [4] cannot be broadcast")
    }
    #expect(throws: TensorError.self) { try Tensor.select(a, a, b) }
  }
}
