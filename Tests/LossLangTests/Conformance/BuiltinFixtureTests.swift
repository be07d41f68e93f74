import Foundation
import Testing
@testable import LossLang

/// PyTorch conformance of the builtins and the prelude losses.
///
/// The cases live in `Fixtures/builtins.json` (from `scripts/make_fixtures.py`),
/// `Fixtures/builtins_ordering.json` (from `scripts/make_ordering_fixtures.py`) and
/// `Fixtures/losses_*.json` (from `scripts/loss_fixtures_*.py`), generated from torch
/// (an independent oracle). Test arguments are `file|case`. Each case binds its inputs (and the cotangent
/// `__cot`) in the case's dtype, evaluates `expr`, and checks the value, the gradients of
/// `sum(expr * __cot)` and, for some cases, second-order gradients. Every case runs twice:
/// with fused execution plans and one kernel per primitive (`Options.fusion`); both must match.
/// `LOSSLANG_NATIVE=all` in the environment runs every kernel as native code.
@Suite("Builtin conformance against PyTorch fixtures")
struct BuiltinFixtureTests {
  static let cases: [String: FixtureCase] = {
    var all: [String: FixtureCase] = [:]
    for file in FixtureFile.conformanceFiles {
      for c in (try? FixtureFile.load(file)) ?? [] { all["\(file)|\(c.name)"] = c }
    }
    return all
  }()

  /// `file|case` names in file order (each becomes its own test argument).
  static let names: [String] = FixtureFile.conformanceFiles.flatMap { file in
    ((try? FixtureFile.load(file)) ?? []).map { "\(file)|\($0.name)" }
  }

  @Test("the fixture files load, with unique case names", arguments: FixtureFile.conformanceFiles)
  func fixtureFileLoads(_ file: String) throws {
    let list = try FixtureFile.load(file)
    #expect(!list.isEmpty)
    #expect(Set(list.map(\.name)).count == list.count, "duplicate case names in \(file)")
  }

  @Test("builtin matches torch, fused and unfused", .tags(.slow), arguments: BuiltinFixtureTests.names, [true, false])
  func builtin(_ name: String, fused: Bool) throws {
    let fixture = try #require(Self.cases[name], "no case named \(name)")
    let dtype = try #require(DType(rawValue: fixture.dtype), "\(name): unknown dtype \(fixture.dtype)")
    let tolerance = fixture.tolerance

    var options = Interpreter.Options()
    options.fusion = fused
    if ProcessInfo.processInfo.environment["LOSSLANG_NATIVE"] == "all" {
      // Every kernel native: compiled by the CLI's compiler before the run that needs it.
      options.nativeKernelMinimumElements = 0
      options.kernelCompiler = clangOnPath
      options.waitForNativeKernels = true
    }
    let interp = try Interpreter(options: options)
    for (input, t) in fixture.inputs.sorted(by: { $0.key < $1.key }) {
      let tensor = try Tensor(t.data, shape: t.shape, dtype: dtype)
      interp.bind(input, tensor)
    }

    // The value.
    let valueSource = "__y = \(fixture.expr)\n__y"
    guard let value = run(interp, valueSource, fixture, what: "value") else { return }
    guard check(value, fixture.value, fixture, what: "value", tolerance: tolerance) else { return }
    if let expected = fixture.valueDType, let t = fixtureTensor(of: value) {
      #expect(t.dtype.rawValue == expected,
              "\(name): `\(fixture.expr)` has dtype \(t.dtype.rawValue), expected \(expected)")
    }

    // First-order gradients of sum(__y * __cot).
    if let grads = fixture.grads, !fixture.wrt.isEmpty {
      let source = "grad(sum(__y * __cot), [\(fixture.wrt.joined(separator: ", "))])"
      if let result = run(interp, source, fixture, what: "grads") {
        if case .list(let items) = result, items.count == fixture.wrt.count {
          for (x, item) in zip(fixture.wrt, items) {
            guard let want = grads[x] else {
              Issue.record("\(name): no expected gradient wrt \(x)")
              continue
            }
            check(item, want, fixture, what: "grad wrt \(x)", tolerance: tolerance)
          }
        } else {
          Issue.record("\(name): `\(source)` gave \(fixtureDescribe(result)), expected a list of \(fixture.wrt.count) tensors")
        }
      }
    }

    // Second order: d/dx sum(grad(sum(__y * __cot), x)).
    for (x, want) in (fixture.second ?? [:]).sorted(by: { $0.key < $1.key }) {
      let source = "__g = grad(sum(__y * __cot), \(x))\ngrad(sum(__g), \(x))"
      if let result = run(interp, source, fixture, what: "second-order grad wrt \(x)") {
        check(result, want, fixture, what: "second-order grad wrt \(x)", tolerance: tolerance)
      }
    }
  }

  /// Runs source, recording an issue that names the case and the step when it throws.
  private func run(_ interp: Interpreter, _ source: String, _ fixture: FixtureCase, what: String) -> Value? {
    do {
      return try interp.run(source)
    } catch {
      Issue.record("\(fixture.name): \(what): `\(source.replacingOccurrences(of: "\n", with: "; "))` threw: \(error)")
      return nil
    }
  }

  /// Compares one result with its expected tensor; records an issue and returns false on a mismatch.
  @discardableResult
  private func check(_ got: Value, _ want: FixtureTensor, _ fixture: FixtureCase, what: String,
                     tolerance: Tolerance) -> Bool {
    guard let tensor = fixtureTensor(of: got) else {
      Issue.record("\(fixture.name): \(what) of `\(fixture.expr)` is \(fixtureDescribe(got)), expected a tensor of shape \(want.shape)")
      return false
    }
    if let message = fixtureMismatch(tensor, want, tolerance: tolerance) {
      Issue.record("\(fixture.name): \(what) of `\(fixture.expr)`: \(message)")
      return false
    }
    return true
  }
}
