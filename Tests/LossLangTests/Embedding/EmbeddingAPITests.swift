import Foundation
import Testing

@testable import LossLang

/// The Swift embedding API: eval, call, values, options and separate interpreters in parallel.
@Suite struct EmbeddingAPITests {
  @Test func evalReturnsValuesOfEachKind() throws {
    let interp = try Interpreter()
    #expect(try interp.eval("1 + 2").number == 3)
    #expect(try interp.eval("\"a\" + \"b\"").string == "ab")
    #expect(try interp.eval("1 < 2 && true").bool == true)
    #expect(try interp.eval("true").bool == true)
    #expect(try interp.eval("[1, \"a\"]").list?.count == 2)
    let t = try #require(try interp.eval("[[1.0, 2.0], [3.0, 4.0]] * 2").tensor)
    #expect(t.shape == [2, 2] && t.scalars == [2, 4, 6, 8])
    guard case .function(let f) = try interp.eval("mse_loss") else {
      Issue.record("mse_loss is not a function value")
      return
    }
    #expect(f.name == "mse_loss")
  }

  @Test func callPassesPositionalAndKeywordArguments() throws {
    let interp = try Interpreter()
    let pred = try Tensor([1.0, 2.0, 6.0] as [Float], shape: [3])
    let target = try Tensor([1.0, 3.0, 3.0] as [Float], shape: [3])
    let loss = try interp.call("huber_loss", [.tensor(pred), .tensor(target)], keywords: ["delta": .number(1.0)])
    // Huber: 0, 0.5, 3 - 0.5 = 2.5 → mean 1.0
    #expect(loss.number == 1.0)
    let square = try interp.eval("fn(x) => x * x")
    let viaFunctionValue = try interp.call("value_and_grad", [square, .number(3)])
    #expect(viaFunctionValue.list?.first?.number == 9)
    #expect(throws: LossLangError.self) { try interp.call("no_such_function") }
  }

  @Test func tensorBuffersRoundTrip() throws {
    let values: [Float] = [0.5, -1.5, 2.25]
    let t = try values.withUnsafeBufferPointer { try Tensor($0, shape: [3]) }
    #expect(try t.withUnsafeBufferPointer { (b: UnsafeBufferPointer<Float>) in Array(b) } == values)
    #expect(throws: LossLangError.self) { try t.withUnsafeBufferPointer { (b: UnsafeBufferPointer<Double>) in b.count } }
    #expect(throws: LossLangError.self) { try Tensor([1, 2, 3] as [Float], shape: [2]) }
    #expect(Tensor(scalar: 2.5).scalar == 2.5)
  }

  @Test func boolTensorsReadAsFloatZeroOne() throws {
    let interp = try Interpreter()
    let mask = try #require(try interp.eval("[1.0, 2.0, 3.0] >= 2").tensor)
    #expect(mask.dtype == .bool)
    #expect(try mask.withUnsafeBufferPointer { (b: UnsafeBufferPointer<Float>) in Array(b) } == [0, 1, 1])
    #expect(try interp.eval("[1.0, 2.0] > 1").description == "tensor([False,  True])")
    let compiled = try interp.compile("x > 1", inputs: ["x": TensorType(shape: [2])])
    let value = try compiled.value(["x": try Tensor([0.5, 1.5] as [Float], shape: [2])])
    #expect(value.dtype == .bool && value.scalars == [0, 1])
    // The selection's size depends on the data: each call selects anew.
    let positives = try interp.compile("sum(x[x > 0])", inputs: ["x": TensorType(shape: [3])])
    #expect(try positives.value(["x": try Tensor([1, -2, 3] as [Float], shape: [3])]).scalars == [4])
    #expect(try positives.value(["x": try Tensor([-1, 5, -3] as [Float], shape: [3])]).scalars == [5])
  }

  @Test func fileAccessCanBeDisabled() throws {
    var options = Interpreter.Options()
    options.allowFileIO = false
    let interp = try Interpreter(options: options)
    #expect(throws: LossLangError.self) { try interp.eval("load(\"/tmp/x.npy\")") }
    #expect(throws: LossLangError.self) { try interp.eval("save(\"/tmp/x.npy\", [1.0])") }
    #expect(throws: LossLangError.self) { try interp.eval("import \"/tmp/x.loss\"") }
    #expect(try interp.eval("mse_loss([1.0], [3.0])").number == 4)
  }

  @Test func importSearchesTheInterpreterPaths() throws {
    let dir = try TestScratch.subdirectory("ll-search-")
    try "def triple(x) = 3 * x\n".write(to: dir.appendingPathComponent("mylib.loss"), atomically: true, encoding: .utf8)
    var options = Interpreter.Options()
    options.searchPaths = [dir.path]
    let interp = try Interpreter(options: options)
    #expect(try interp.eval("import \"mylib.loss\"\ntriple(2)").number == 6)
  }

  @Test func separateInterpretersRunInParallel() throws {
    let results = ResultsBox(count: 4)
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      let value = try? Interpreter().eval("x = float64(arange(1000)) * \(i)\nsum(grad(mean(x^2), x))")
      results.set(i, value?.number)
    }
    for i in 0..<4 {
      // d/dx mean(x^2) = 2x/n; summed: 2·i·Σk / 1000 = 2·i·499500/1000
      let expected = 2 * Double(i) * 499.5
      #expect(Tolerance(rtol: 1e-9, atol: 1e-9).accepts(results.get(i) ?? .nan, expected), "interpreter \(i)")
    }
  }
}

/// Results written by parallel workers, one slot each.
final class ResultsBox: @unchecked Sendable {
  private var values: [Double?]
  private let lock = NSLock()
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ v: Double?) { lock.withLock { values[i] = v } }
  func get(_ i: Int) -> Double? { lock.withLock { values[i] } }
}
