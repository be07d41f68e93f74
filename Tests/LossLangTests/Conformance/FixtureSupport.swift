import Foundation
import Testing
@testable import LossLang

/// A tensor as stored in a fixture file: shape and C-order data as full-precision doubles
/// (NaN and ±inf, which JSON lacks, as the strings "NaN", "Infinity" and "-Infinity").
struct FixtureTensor: Codable, Sendable {
  let shape: [Int]
  let data: [Double]
}

/// One conformance case, as written by `scripts/make_fixtures.py`.
///
/// `value` is what `expr` evaluates to; `grads[x]` is d/dx of `sum(expr * __cot)`;
/// `second[x]` is d/dx of `sum(grad(sum(expr * __cot), x))`.
struct FixtureCase: Codable, Sendable {
  let name: String
  let dtype: String
  let expr: String
  let wrt: [String]
  let inputs: [String: FixtureTensor]
  let value: FixtureTensor
  /// The dtype the value must have; absent where the contract leaves it open.
  let valueDType: String?
  let grads: [String: FixtureTensor]?
  let second: [String: FixtureTensor]?
  /// Case-specific tolerances (otherwise the dtype's defaults, see `tolerance`).
  let rtol: Double?
  let atol: Double?

  enum CodingKeys: String, CodingKey {
    case name, dtype, expr, wrt, inputs, value, grads, second, rtol, atol
    case valueDType = "value_dtype"
  }

  /// The tolerance for this case: the case's own `rtol` and `atol` where given, else the
  /// dtype's defaults (float64: 1e-9 relative, 1e-12 floor; float32: 1e-5 relative, 1e-6 floor).
  var tolerance: Tolerance {
    let base = dtype == "float64" ? Tolerance(rtol: 1e-9, atol: 1e-12) : Tolerance(rtol: 1e-5, atol: 1e-6)
    return Tolerance(rtol: rtol ?? base.rtol, atol: atol ?? base.atol)
  }
}

/// Loading fixture files from `Tests/LossLangTests/Fixtures`.
enum FixtureFile {
  /// `Tests/LossLangTests/Fixtures/<name>`, found from this source file's location.
  static func url(_ name: String, filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath)
      .deletingLastPathComponent()  // Conformance/
      .deletingLastPathComponent()  // LossLangTests/
      .appendingPathComponent("Fixtures")
      .appendingPathComponent(name)
  }

  /// Every conformance file: `builtins.json`, `builtins_*.json` and the prelude's `losses_*.json`.
  static let conformanceFiles: [String] = {
    let dir = url("").path
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    let more = names.filter { ($0.hasPrefix("builtins_") || $0.hasPrefix("losses_")) && $0.hasSuffix(".json") }
    return ["builtins.json"] + more.sorted()
  }()

  /// Decodes a JSON list of cases.
  static func load(_ name: String) throws -> [FixtureCase] {
    let data = try Data(contentsOf: url(name))
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try decoder.decode([FixtureCase].self, from: data)
  }
}

/// Turns an interpreter result into a tensor: a tensor as is; a list of one-element
/// tensors (e.g. what `shape(x)` may return) as a 1-D tensor; a Bool as 0/1.
func fixtureTensor(of value: Value) -> Tensor? {
  switch value {
  case .tensor(let t):
    return t
  case .number(let v):
    return Tensor(scalar: v, dtype: .float64)
  case .list(let items):
    var values: [Double] = []
    for item in items {
      guard let t = item.tensor, t.count == 1 else { return nil }
      values.append(t.scalars[0])
    }
    return try? Tensor(values, shape: [values.count], dtype: .float64)
  case .bool(let b):
    return Tensor(scalar: b ? 1 : 0)
  default:
    return nil
  }
}

/// A short description of an interpreter result, for failure messages.
func fixtureDescribe(_ value: Value) -> String {
  switch value {
  case .tensor(let t): return "tensor \(t.dtype.rawValue) shape \(t.shape)"
  case .list(let items): return "list of \(items.count): [" + items.map(fixtureDescribe).joined(separator: ", ") + "]"
  case .bool(let b): return "bool \(b)"
  default: return "\(value)"
  }
}

/// Compares `got` with `want`; nil when they agree, otherwise a message naming the worst
/// element (see `Tolerance.mismatch`).
func fixtureMismatch(_ got: Tensor, _ want: FixtureTensor, tolerance: Tolerance) -> String? {
  guard got.shape == want.shape else { return "shape \(got.shape), expected \(want.shape)" }
  return tolerance.mismatch(got.scalars, want.data, shape: want.shape)
}
