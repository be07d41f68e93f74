import Foundation
import Testing

@testable import LossLang

/// One `Interpreter` or `CompiledLoss` used from two threads at once: the second use
/// throws "… used from two threads at once" instead of corrupting memory, and re-entrant
/// use from the evaluation itself (a plugin callback) keeps working.
@Suite struct ThreadMisuseTests {
  /// A plugin whose `hold(x)` signals `entered`, waits for `release` and returns x, so a
  /// test can keep an evaluation running while another thread tries the same object.
  final class Gate: LossLangPlugin, @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    func register(into registry: inout Registry) throws {
      try registry.registerFunction("hold", parameters: ["x"], doc: "", family: "test") { [self] values in
        entered.signal()
        release.wait()
        return values[0]
      }
    }
  }

  /// Runs `body` on another thread and returns a semaphore signalled when it ends.
  static func background(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    Thread { body(); done.signal() }.start()
    return done
  }

  /// Whether `error` is the misuse error naming `what`.
  static func isMisuse(_ error: any Error, _ what: String) -> Bool {
    let e = error as? LossLangError
    return e?.kind == .runtime && e?.message == "\(what) used from two threads at once"
  }

  @Test func interpreterBusyOnAnotherThreadThrows() throws {
    let gate = Gate()
    let interp = try Interpreter(loadPrelude: false)
    try interp.install(gate)
    nonisolated(unsafe) let shared = interp
    nonisolated(unsafe) var first: Result<Value, any Error>?
    let done = Self.background { first = Result { try shared.eval("hold(2) + 1") } }
    gate.entered.wait()
    #expect { try interp.eval("1") } throws: { Self.isMisuse($0, "Interpreter") }
    #expect { try interp.call("hold", [.number(1)]) } throws: { Self.isMisuse($0, "Interpreter") }
    gate.release.signal()
    done.wait()
    #expect(try first?.get().tensor?.scalarValue == 3)
    #expect(try interp.eval("1 + 1").tensor?.scalarValue == 2)
  }

  @Test func compiledLossBusyOnAnotherThreadThrows() throws {
    let gate = Gate()
    let interp = try Interpreter(loadPrelude: false)
    try interp.install(gate)
    // hold() reads its argument's value, so the loss is re-traced (and holds) on every call.
    let loss = try interp.compile("sum(hold(x) * x)", inputs: ["x": TensorType(shape: [2])])
    #expect(loss.isRetracing)
    let x = try Tensor([1, 2], shape: [2])
    nonisolated(unsafe) let shared = loss
    nonisolated(unsafe) var first: Result<Tensor, any Error>?
    let done = Self.background { first = Result { try shared.value(["x": x]) } }
    gate.entered.wait()
    #expect { try loss.value(["x": x]) } throws: { Self.isMisuse($0, "CompiledLoss") }
    #expect { try interp.eval("1") } throws: { Self.isMisuse($0, "Interpreter") }
    gate.release.signal()
    done.wait()
    #expect(try first?.get().scalarValue == 5)
  }

  @Test func reentrantUseFromACallbackWorks() throws {
    let interp = try Interpreter(loadPrelude: false)
    struct Nested: LossLangPlugin {
      weak var interpreter: Interpreter?
      func register(into registry: inout Registry) throws {
        try registry.registerFunction("nested", parameters: ["source"], doc: "", family: "test") { [interpreter] values in
          guard case .string(let source) = values[0], let interpreter else { return .none }
          return try interpreter.eval(source)
        }
      }
    }
    try interp.install(Nested(interpreter: interp))
    #expect(try interp.eval("nested(\"nested(\\\"20 + 1\\\") * 2\") + 0").tensor?.scalarValue == 42)
  }

  /// Many unsynchronized calls from two threads: each is a success or the misuse error.
  static func hammer(_ label: String, _ iterations: Int, _ call: @escaping @Sendable () throws -> Double,
                     expected: Double) -> [String] {
    let lock = NSLock()
    nonisolated(unsafe) var unexpected: [String] = []
    let threads = (0..<2).map { _ in
      Self.background {
        for _ in 0..<iterations {
          do {
            let v = try call()
            if v != expected { lock.withLock { unexpected.append("\(label): got \(v)") } }
          } catch {
            if !Self.isMisuse(error, label) { lock.withLock { unexpected.append("\(label): \(error)") } }
          }
        }
      }
    }
    for t in threads { t.wait() }
    return unexpected
  }

  @Test func concurrentInterpreterCallsFailCleanly() throws {
    let interp = try Interpreter(loadPrelude: false)
    interp.bind("w", try Tensor([1, 2, 3], shape: [3]))
    nonisolated(unsafe) let shared = interp
    let unexpected = Self.hammer("Interpreter", 300, {
      try #require(try shared.eval("x = w * 2\nsum(x + 1)").tensor?.scalarValue)
    }, expected: 15)
    #expect(unexpected.isEmpty, "\(unexpected.prefix(3))")
  }

  @Test func concurrentCompiledLossCallsFailCleanly() throws {
    let interp = try Interpreter(loadPrelude: false)
    let loss = try interp.compile("sum((w * x - 1)^2)", inputs: ["w": TensorType(shape: []), "x": TensorType(shape: [3])])
    let w = Tensor(scalar: 2), x = try Tensor([1, 2, 3], shape: [3])
    nonisolated(unsafe) let shared = loss
    let unexpected = Self.hammer("CompiledLoss", 2000, {
      let (value, grads) = try shared.valueAndGradient(["w": w, "x": x], wrt: ["w"])
      return try #require(value.scalarValue) + 1000 * (try #require(grads["w"]?.scalarValue))
    }, expected: 35 + 1000 * 44)
    #expect(unexpected.isEmpty, "\(unexpected.prefix(3))")
  }
}
