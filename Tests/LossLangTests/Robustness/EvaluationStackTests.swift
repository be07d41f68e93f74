import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// Whether this build has AddressSanitizer, whose frames are about twice an ordinary build's:
/// there the fixed call cap may not fit, and the stack-room check alone stops recursion
/// (``EvaluationStackTests/deepFramesAreCaughtBeforeTheStackEnds()``).
private let builtWithAddressSanitizer = lk_built_with_address_sanitizer() != 0

/// Recursion deeper than the evaluation stack holds ends as "recursion depth exceeded",
/// whatever the call-depth limit is raised to: the stack each call takes is measured
/// and must fit ``EvaluationStack/callCapacity`` calls, and deeper frames are caught by
/// the stack check.
@Suite struct EvaluationStackTests {
  /// An interpreter whose `probe(n)` records the stack position of the call `n`.
  final class Probe: @unchecked Sendable {
    var positions: [Double: UInt] = [:]
    let interpreter: Interpreter

    init(maxCallDepth: Int = 1_000_000) throws {
      var options = Interpreter.Options()
      options.limits.maxCallDepth = maxCallDepth
      interpreter = try Interpreter(options: options)
      try interpreter.install(Recorder(probe: self))
    }

    /// Bytes of stack per call between `probe(deep)` and `probe(shallow)`, `calls` apart.
    func bytesPerCall(_ source: String, shallow: Double, deep: Double, calls: Int) throws -> Int {
      positions = [:]
      try interpreter.run(source)
      let top = try #require(positions[shallow]), bottom = try #require(positions[deep])
      return Int(bitPattern: top &- bottom) / calls
    }
  }

  /// Registers `probe(n)`, which records where on the stack it was called and returns n.
  struct Recorder: LossLangPlugin {
    let probe: Probe
    func register(into registry: inout Registry) throws {
      try registry.registerFunction("probe", parameters: ["n"], doc: "", family: "test") { [probe] values in
        if let n = values[0].tensor?.scalarValue { probe.positions[n] = EvaluationStack.position() }
        return values[0]
      }
    }
  }

  /// Each kind of call, with the number of nested calls between its two probes.
  static let calls: [(String, String, Double, Int)] = [
    ("def with an expression body", "def f(n) = if n == 0 { probe(0) } else { if n == 1000 { probe(1000) }; f(n - 1) }\nf(1000)", 0, 1000),
    ("def with a block body", "def f(n) {\n  if n == 1000 { probe(1000) }\n  if n == 0 { probe(0) } else { y = n - 1; f(y) }\n}\nf(1000)", 0, 1000),
    ("lambda", "g = fn(n) => { if n == 1000 { probe(1000) }; if n == 0 { probe(0) } else { g(n - 1) } }\ng(1000)", 0, 1000),
    ("through a builtin's callback",
     "def h(x) = if x > 99.5 { probe(100); x } else { if x == 0 { probe(0) }; value_and_grad(h, x + 1)[0] }\nh(tensor(0.0))", 100, 100),
  ]

  @Test(.disabled(if: builtWithAddressSanitizer, "ASan frames are about twice as large"), arguments: calls)
  func callCapacityFitsTheStack(_ kind: String, _ source: String, _ deep: Double, _ calls: Int) throws {
    let probe = try Probe()
    let bytes = try probe.bytesPerCall(source, shallow: deep == 0 ? Double(calls) : 0, deep: deep, calls: calls)
    #expect(bytes > 0, "\(kind)")
    #expect(bytes * EvaluationStack.callCapacity < EvaluationStack.size - EvaluationStack.reserve,
            "\(kind): \(bytes) bytes per call")
  }

  @Test func raisedDepthLimitStopsAtTheCapacity() throws {
    let probe = try Probe()
    #expect {
      try probe.interpreter.run("def f(n) = f(n + 1) + 1\nf(0)")
    } throws: { error in
      let e = error as? LossLangError
      return e?.kind == .limitExceeded
        && e?.message == "recursion depth exceeded (10000 nested calls, the most the evaluation stack holds) in 'f'"
    }
    #expect(try probe.interpreter.eval("1 + 1").tensor?.scalarValue == 2)
  }

  @Test(.tags(.slow)) func deepFramesAreCaughtBeforeTheStackEnds() throws {
    let probe = try Probe()
    // Each call sits 100 parentheses deep: far more stack per call than measured above.
    let nested = String(repeating: "1 + (", count: 100) + "f(n + 1)" + String(repeating: ")", count: 100)
    #expect {
      try probe.interpreter.run("def f(n) = \(nested)\nf(0)")
    } throws: { error in
      let e = error as? LossLangError
      return e?.kind == .limitExceeded
        && e?.message == "recursion depth exceeded (the nested calls fill the evaluation stack) in 'f'"
    }
  }

  @Test(.tags(.spawnsProcess)) func cliRecursionPastTheStackIsAnError() throws {
    let r = try runLossLang(["--max-depth", "10000000", "-e", "{ def f(x) = f(x + 1) + 1; f(1) }"])
    #expect(r.status == 70)
    #expect(r.stderr.contains("recursion depth exceeded (10000 nested calls, the most the evaluation stack holds) in 'f'"))
  }
}
