import Foundation
import Testing

@testable import LossLang

/// Helpers shared by the kernel tests: inputs, references and tolerant comparison.
enum KT {
  /// The dtypes kernels compute in (a bool tensor is computed as float32).
  static let floatTypes: [DType] = [.float32, .float64]

  /// Deterministic pseudo-random values in [lo, hi) (a 64-bit LCG).
  static func values(_ count: Int, _ lo: Double = -5, _ hi: Double = 5, seed: UInt64 = 1) -> [Double] {
    var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return lo + (hi - lo) * Double(state >> 11) / Double(1 << 53)
    }
  }

  /// Values as stored in `dtype` (rounded to Float for float32).
  static func rounded(_ values: [Double], _ dtype: DType) -> [Double] {
    dtype == .float32 ? values.map { Double(Float($0)) } : values
  }

  /// A tensor of the given values and shape.
  static func tensor(_ values: [Double], _ shape: [Int], _ dtype: DType) throws -> Tensor {
    try Tensor(values, shape: shape, dtype: dtype)
  }

  /// Whether got and want agree within tolerance (NaN matches NaN, infinities exactly).
  static func close(_ got: Double, _ want: Double, _ dtype: DType, scale: Double = 1) -> Bool {
    if want.isNaN { return got.isNaN }
    if want.isInfinite || got.isInfinite { return got == want }
    let tol = (dtype == .float32 ? 4e-6 : 1e-12) * scale
    return Swift.abs(got - want) <= tol * Swift.max(1, Swift.abs(want))
  }

  /// Expects `got` to have `shape` and match `want` elementwise within tolerance.
  static func expectClose(
    _ got: Tensor, _ want: [Double], shape: [Int], _ dtype: DType, scale: Double = 1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(got.shape == shape, sourceLocation: sourceLocation)
    #expect(got.dtype == dtype, sourceLocation: sourceLocation)
    let values = got.scalars
    guard values.count == want.count else {
      Issue.record("count \(values.count) != \(want.count)", sourceLocation: sourceLocation)
      return
    }
    let bad = values.indices.filter { !close(values[$0], want[$0], dtype, scale: scale) }
    if let first = bad.first {
      Issue.record(
        "\(bad.count) mismatches; first at \(first): got \(values[first]), want \(want[first])",
        sourceLocation: sourceLocation)
    }
  }

  /// Flat index into a contiguous `shape` for each flat index of the broadcast `target`.
  static func broadcastIndex(_ shape: [Int], over target: [Int]) -> [Int] {
    let strides = Broadcast.strides(of: shape, over: target)
    let count = target.reduce(1, *)
    return (0..<count).map { flat in
      var rem = flat, offset = 0
      for axis in target.indices.reversed() {
        offset += (rem % target[axis]) * strides[axis]
        rem /= target[axis]
      }
      return offset
    }
  }

  /// The C-order multi-index of a flat position.
  static func multiIndex(_ flat: Int, _ shape: [Int]) -> [Int] {
    var rem = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() {
      index[axis] = rem % shape[axis]
      rem /= shape[axis]
    }
    return index
  }
}
