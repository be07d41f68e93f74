import Foundation
import Testing

@testable import LossLang

/// Helpers shared by the kernel tests: dtypes, rounding, broadcasting and tolerant comparison.
enum KT {
  /// The dtypes kernels compute in (a bool tensor is computed as float32).
  static let floatTypes: [DType] = [.float32, .float64]

  /// Values as stored in `dtype` (rounded to Float for float32).
  static func rounded(_ values: [Double], _ dtype: DType) -> [Double] {
    dtype == .float32 ? values.map { Double(Float($0)) } : values
  }

  /// A tensor of the given values and shape.
  static func tensor(_ values: [Double], _ shape: [Int], _ dtype: DType) throws -> Tensor {
    try Tensor(values, shape: shape, dtype: dtype)
  }

  /// The kernel tests' tolerance in `dtype` (4e-6 for float32, 1e-12 for float64, times
  /// `scale`), relative with the same absolute floor.
  static func tolerance(_ dtype: DType, scale: Double = 1) -> Tolerance {
    let tol = (dtype == .float32 ? 4e-6 : 1e-12) * scale
    return Tolerance(rtol: tol, atol: tol)
  }

  /// Expects `got` to have `shape` and `dtype` and to match `want` elementwise within `tolerance(dtype, scale:)`.
  static func expectClose(
    _ got: Tensor, _ want: [Double], shape: [Int], _ dtype: DType, scale: Double = 1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(got.shape == shape, sourceLocation: sourceLocation)
    #expect(got.dtype == dtype, sourceLocation: sourceLocation)
    if let message = tolerance(dtype, scale: scale).mismatch(got.scalars, want, shape: shape) {
      Issue.record("\(message)", sourceLocation: sourceLocation)
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
}
