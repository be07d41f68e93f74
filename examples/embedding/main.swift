// Fits y = 2x + 1 on data with 10% large outliers, by gradient descent on a loss written in
// LossLang and compiled once: MSE is pulled away by the outliers, Huber is not.
//
//     swift run -c release embedding-example

import Foundation
import LossLang

/// 200 points on y = 2x + 1 with small deterministic noise; every tenth point is an outlier.
func makeData() -> (x: [Float], y: [Float]) {
  var x: [Float] = [], y: [Float] = []
  for i in 0..<200 {
    let xi = Float(i) / 100 - 1
    var yi = 2 * xi + 1 + 0.05 * Float((i * 37) % 11 - 5) / 5
    if i % 10 == 3 { yi += 25 }
    x.append(xi)
    y.append(yi)
  }
  return (x, y)
}

/// Gradient descent on `loss(w * x + b, y)` for the loss named in LossLang source.
func fit(_ loss: String, interpreter: Interpreter, x: Tensor, y: Tensor) throws -> (w: Double, b: Double) {
  let compiled = try interpreter.compile("\(loss)(w * x + b, y)", inputs: [
    "w": TensorType(shape: []), "b": TensorType(shape: []),
    "x": TensorType(shape: x.shape), "y": TensorType(shape: y.shape),
  ])
  var w = 0.0, b = 0.0
  for _ in 0..<3000 {
    let (_, g) = try compiled.valueAndGradient(
      ["w": Tensor(scalar: w), "b": Tensor(scalar: b), "x": x, "y": y], wrt: ["w", "b"])
    w -= 0.1 * (g["w"]?.scalar ?? 0)
    b -= 0.1 * (g["b"]?.scalar ?? 0)
  }
  return (w, b)
}

do {
  let interpreter = try Interpreter()
  let data = makeData()
  let x = try Tensor(data.x, shape: [data.x.count])
  let y = try Tensor(data.y, shape: [data.y.count])
  print("fitting y = 2x + 1 with 10% outliers (+25):")
  for loss in ["mse_loss", "huber_loss"] {
    let (w, b) = try fit(loss, interpreter: interpreter, x: x, y: y)
    print("  \(loss.padding(toLength: 10, withPad: " ", startingAt: 0)) w = \(String(format: "%.3f", w))  b = \(String(format: "%.3f", b))")
  }
} catch {
  print("error: \(error)")
}
