import Foundation
import Testing

@testable import LossLang

/// The kernel's vectorized float32 transcendentals (vecmath.h) through `Tensor` ops, against
/// double libm: max ulp error over wide sweeps, and libm's NaN / ±Inf / ±0 / subnormal
/// behaviour; float64 stays exactly libm. scripts/ulp_sweep.sh checks every float32 input.
struct VectorMathTests {
  /// The ops computed by vecmath.h.
  static let ops: [UnaryOp] = [.exp, .log, .log1p, .expm1, .tanh, .sigmoid, .logsigmoid, .softplus]

  /// The largest error allowed, in float32 ulps.
  static let maxUlps = 2.0

  /// The op's value at x in double libm, with the formulas of the kernel's float64 path.
  static func reference(_ op: UnaryOp, _ x: Double) -> Double {
    switch op {
    case .exp: Foundation.exp(x)
    case .log: Foundation.log(x)
    case .log1p: Foundation.log1p(x)
    case .expm1: Foundation.expm1(x)
    case .tanh: Foundation.tanh(x)
    case .sigmoid:
      { (e: Double) in x >= 0 ? 1 / (1 + e) : e * (1 / (1 + e)) }(Foundation.exp(-Swift.abs(x)))
    case .logsigmoid: Swift.min(x, 0) - Foundation.log1p(Foundation.exp(-Swift.abs(x)))
    default: x > 20 ? x : Foundation.log1p(Foundation.exp(x))
    }
  }

  /// Inputs where the functions change regime: zeros, infinities, NaN, subnormals, the
  /// overflow and underflow thresholds of exp, -1 for log1p, the softplus threshold.
  static let specials: [Double] = [
    0, -0.0, .infinity, -.infinity, .nan, 1, -1, 0.5, -0.5, 2, 20, 20.000002, 19.999998,
    88.72283, 88.72284, 89, -87.33654, -87.33655, -103.9720, -103.9721, -104, -150,
    709.78, 709.79, -708.39, -745.13, -745.14, 1e-30, -1e-30, 1e-300, 1e-8, -1e-8,
    Double(Float.leastNonzeroMagnitude), -Double(Float.leastNonzeroMagnitude),
    Double(Float.leastNormalMagnitude), Double(Float.greatestFiniteMagnitude),
    -Double(Float.greatestFiniteMagnitude), .leastNonzeroMagnitude, .leastNormalMagnitude,
    .greatestFiniteMagnitude, -.greatestFiniteMagnitude, -1 + 0x1p-24, -1 + 0x1p-53,
    -0.99999994, 0x1p-25, -0x1p-25, 9.01, 19.06, 0.55, -0.55,
  ]

  /// The float32 ulp at the magnitude of v (a finite nonzero value; subnormals share one ulp).
  static func floatUlp(at v: Double) -> Double {
    let exponent = v.isFinite && v != 0 ? Swift.max(Int(v.exponent), -126) : -126
    return Double(sign: .plus, exponent: exponent - 23, significand: 1)
  }

  /// The first mismatches found by a sweep and its largest finite error.
  struct Report {
    var maxError = 0.0
    var worstInput = 0.0
    var mismatches: [String] = []

    /// Records the result `got` at input x (and y, for pow), given the reference rounded to
    /// float32 and the error of `got` in ulps of the exact reference.
    mutating func add(x: Double, y: Double? = nil, got: Double, rounded: Double, error: Double, zeroSign: Bool) {
      if rounded.isNaN || got.isNaN || rounded.isInfinite || got.isInfinite || (rounded == 0 && got == 0) {
        let same = rounded.isNaN ? got.isNaN : got == rounded && (!zeroSign || got.sign == rounded.sign)
        if !same && mismatches.count < 5 {
          mismatches.append("x=\(x)\(y.map { ", y=\($0)" } ?? ""): got \(got), want \(rounded)")
        }
      } else if !(error <= maxError) {
        maxError = error
        worstInput = x
      }
    }

    /// Expects no special-value mismatch and an error within maxUlps.
    func check(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
      #expect(mismatches.isEmpty, "\(name): \(mismatches)", sourceLocation: sourceLocation)
      #expect(maxError <= VectorMathTests.maxUlps,
              "\(name): \(maxError) ulp at x=\(worstInput)", sourceLocation: sourceLocation)
    }
  }

  /// The elementary functions keep the sign of a zero result (log1p(-0) = -0); the compound
  /// ones may differ from their formulas evaluated in higher precision there.
  static func checksZeroSign(_ op: UnaryOp) -> Bool {
    ![.sigmoid, .logsigmoid, .softplus].contains(op)
  }

  /// 2^18 evenly spaced float32 bit patterns (every sign, binade, subnormals, ±Inf, NaNs)
  /// plus the specials, on two threads (more than the VM's split), against double libm.
  @Test(arguments: ops)
  func float32MatchesLibm(op: UnaryOp) throws {
    let sweep = (0..<(1 << 18)).map { Float(bitPattern: UInt32($0) << 14 | UInt32($0 & 0x3FFF)) }
    try Self.report(op, sweep + Self.specials.map { Float($0) }).check("\(op)")
  }

  /// log1p splits 1 + x = 2^k (1 + f) with 1 + f in [0.75, 1.5), k read from the rounded
  /// sum: the 256 floats around each x = 0.75 * 2^k - 1 (k = -24 ... 128, where the sum may
  /// round across the split and f lands just outside its interval) are within maxUlps.
  @Test func float32Log1pAroundItsSplits() throws {
    var inputs: [Float] = []
    for k in -24...128 {
      let center = Float(0.75 * Double(sign: .plus, exponent: k, significand: 1) - 1)
      for i in -128..<128 where center.isFinite {
        inputs.append(Float(bitPattern: UInt32(Int64(center.bitPattern) + Int64(i))))
      }
    }
    let report = try Self.report(.log1p, inputs)
    #expect(inputs.count > 30_000)
    report.check("log1p")
  }

  /// The errors of the float32 op at `inputs` against double libm (through a `Tensor`).
  static func report(_ op: UnaryOp, _ inputs: [Float]) throws -> Report {
    let x = try Tensor(zeros: [inputs.count], dtype: .float32)
    let xs = x.storage.pointer.assumingMemoryBound(to: Float.self)
    for (i, v) in inputs.enumerated() { xs[i] = v }
    let y = try x.unary(op)
    let ys = y.storage.pointer.assumingMemoryBound(to: Float.self)
    var report = Report()
    withExtendedLifetime((x, y)) {
      for i in 0..<x.count {
        let input = Double(xs[i]), got = Double(ys[i])
        let want = reference(op, input)
        let error = Swift.abs(got - want) / floatUlp(at: want)
        report.add(x: input, got: got, rounded: Double(Float(want)), error: error,
                   zeroSign: checksZeroSign(op))
      }
    }
    return report
  }

  /// float64 keeps libm (see scalar_math.h): 2^14 random bit patterns, 2^14 random values
  /// in [-64, 64] and the specials give exactly the libm results.
  @Test(arguments: ops)
  func float64IsLibm(op: UnaryOp) throws {
    var random = SeededGenerator(seed: 1)
    var inputs = Self.specials
    for i in 0..<(1 << 15) {
      let bits = random.next()
      inputs.append(i & 1 == 0 ? Double(bitPattern: bits) : (Double(bits >> 11) * 0x1p-53 - 0.5) * 128)
    }
    let y = try Tensor(inputs, shape: [inputs.count], dtype: .float64).unary(op)
    let different = inputs.indices.filter {
      let want = Self.reference(op, inputs[$0])
      return want.isNaN ? !y[flat: $0].isNaN : y[flat: $0].bitPattern != want.bitPattern
    }
    #expect(different.isEmpty, "\(op): \(different.prefix(5).map { inputs[$0] })")
  }

  /// float32 pow (computed in double) over a broadcast grid of bases (specials and evenly
  /// spaced bit patterns) and exponents (specials, integers, fractions), against double libm.
  @Test func float32PowMatchesLibm() throws {
    var bases = Self.specials
    for i in 0..<1024 { bases.append(Double(Float(bitPattern: UInt32(i) << 22 | 0x2A_AAAA))) }
    let exponents = Self.specials + [-3, -2, 3, 4, 7, 1.0 / 3, 0.25, -0.75, 1e-3, 1e3, 150, -150, 0x1p24, 0x1p24 + 2]
      + SeededGenerator.values(64, -20, 20, seed: 7)
    let x = try Tensor(bases, shape: [bases.count, 1], dtype: .float32)
    let y = try Tensor(exponents, shape: [1, exponents.count], dtype: .float32)
    let z = try Tensor.binary(.pow, x, y)
    var report = Report()
    for (i, base) in bases.map({ Double(Float($0)) }).enumerated() {
      for (j, power) in exponents.map({ Double(Float($0)) }).enumerated() {
        let got = z[flat: i * exponents.count + j]
        let want = Foundation.pow(base, power)
        let error = Swift.abs(got - want) / Self.floatUlp(at: want)
        report.add(x: base, y: power, got: got, rounded: Double(Float(want)), error: error, zeroSign: true)
      }
    }
    report.check("pow")
  }
}
