import Foundation
import Testing

@testable import LossLang

/// `Interpreter.compile`: traced once, evaluated many times with values and gradients.
@Suite struct CompiledLossTests {
  static let types = ["pred": TensorType(shape: [4]), "target": TensorType(shape: [4])]

  func tensor(_ values: [Float]) throws -> Tensor { try Tensor(values, shape: [values.count]) }

  @Test func matchesTheInterpreter() throws {
    let interp = try Interpreter()
    let loss = try interp.compile("huber_loss(pred, target, delta=0.5)", inputs: Self.types)
    let pred = try tensor([0.5, -1.0, 2.0, 3.5]), target = try tensor([0.0, 0.0, 2.1, 1.0])
    let (value, grads) = try loss.valueAndGradient(["pred": pred, "target": target], wrt: ["pred", "target"])
    interp.bind("p", pred)
    interp.bind("t", target)
    let expected = try interp.eval("huber_loss(p, t, delta=0.5)")
    let expectedGrad = try interp.eval("grad(huber_loss(p, t, delta=0.5), p)")
    #expect(value.scalars == expected.tensor?.scalars)
    #expect(grads["pred"]?.scalars == expectedGrad.tensor?.scalars)
    #expect(grads["target"]?.scalars == expectedGrad.tensor?.scalars.map { -$0 })
    #expect(loss.traceCount == 1 && !loss.isRetracing)
  }

  @Test func runsManyStepsWithoutRetracingOrGrowingMemory() throws {
    let interp = try Interpreter()
    let loss = try interp.compile("mse_loss(w * x + b, y)", inputs: [
      "w": TensorType(shape: []), "b": TensorType(shape: []),
      "x": TensorType(shape: [8]), "y": TensorType(shape: [8]),
    ])
    let x = try tensor((0..<8).map(Float.init)), y = try tensor((0..<8).map { 2 * Float($0) + 1 })
    var w = 0.0, b = 0.0
    var graphSize = 0
    weak var earlyGradient: TensorStorage?
    for step in 0..<10_000 {
      let (_, g) = try loss.valueAndGradient(
        ["w": Tensor(scalar: w), "b": Tensor(scalar: b), "x": x, "y": y], wrt: ["w", "b"])
      w -= 0.02 * (g["w"]?.scalar ?? 0)
      b -= 0.02 * (g["b"]?.scalar ?? 0)
      if step == 1000 {
        graphSize = loss.graphNodeCount
        earlyGradient = g["w"]?.storage
      }
    }
    #expect(loss.traceCount == 1)
    #expect(Tolerance(atol: 1e-2).accepts(w, 2) && Tolerance(atol: 5e-2).accepts(b, 1), "fit w=\(w) b=\(b)")
    // Memory stays flat: the graph does not grow, and each step's buffers are released.
    #expect(loss.graphNodeCount == graphSize, "the compiled graph grew")
    #expect(earlyGradient == nil, "a buffer from step 1000 is still alive")
  }

  @Test func valueDependentExpressionsAreRetracedCorrectly() throws {
    let interp = try Interpreter()
    let loss = try interp.compile("cross_entropy(logits, labels)", inputs: [
      "logits": TensorType(shape: [2, 3]), "labels": TensorType(shape: [2]),
    ])
    #expect(loss.isRetracing)
    let logits = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
    for labels in [[0.0, 2.0], [1.0, 1.0]] {
      let l = try Tensor(labels, shape: [2])
      let (value, _) = try loss.valueAndGradient(["logits": logits, "labels": l], wrt: ["logits"])
      interp.bind("a", logits)
      interp.bind("b", l)
      #expect(value.scalars == (try interp.eval("cross_entropy(a, b)")).tensor?.scalars)
    }
  }

  @Test func wrongInputsAreErrors() throws {
    let interp = try Interpreter()
    let loss = try interp.compile("mse_loss(pred, target)", inputs: Self.types)
    let ok = try tensor([1, 2, 3, 4])
    #expect(throws: LossLangError.self) { try loss.value(["pred": ok]) }
    #expect(throws: LossLangError.self) { try loss.value(["pred": ok, "target": try tensor([1, 2])]) }
    #expect(throws: LossLangError.self) { try loss.valueAndGradient(["pred": ok, "target": ok], wrt: ["nope"]) }
    #expect(throws: LossLangError.self) { try interp.compile("mse_loss(pred,", inputs: Self.types) }
  }
}
