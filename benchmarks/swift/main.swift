// The W6 workload (`mse_loss` of 16 float32 elements, value and gradient with respect to both
// inputs) called from Swift through a `CompiledLoss`: the per-call cost of the embedding API.
//
//     swift run -c release losslang-bench [DIR]
//
// DIR is where `peers.py --save DIR` wrote the inputs (default /tmp/losslang-bench-data).
// Prints `W6_small_mse compiled median_us=… loss=…`: the median over 20 batches of the mean
// time of one `valueAndGradient` call in a batch of 10 000. Exits with status 1 when the loss
// differs from PyTorch's (2.455023) by more than 1e-6 relative or the loss is re-traced.

import Foundation
import LossLang

/// The one way this benchmark fails: a message and exit status 1.
struct BenchmarkFailure: Error, CustomStringConvertible {
  let description: String
}

/// The loss value the peers (PyTorch, JAX, NumPy) compute on the W6 inputs.
let expectedLoss = 2.455023

/// Loads input `key` of W6 from `dir` through LossLang's `load`.
func loadInput(_ key: String, from dir: String, _ interpreter: Interpreter) throws -> Tensor {
  let path = "\(dir)/W6_small_mse/\(key).npy"
  guard let tensor = try interpreter.call("load", [.string(path)]).tensor else {
    throw BenchmarkFailure(description: "\(path) is not a tensor")
  }
  return tensor
}

/// Median over `batches` of the mean seconds per call of `body` in a batch of `calls`.
func medianCallTime(batches: Int, calls: Int, _ body: () throws -> Void) rethrows -> Double {
  var means: [Double] = []
  for _ in 0..<batches {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<calls { try body() }
    means.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(calls))
  }
  means.sort()
  return batches % 2 == 1 ? means[batches / 2] : (means[batches / 2 - 1] + means[batches / 2]) / 2
}

func run() throws {
  let arguments = CommandLine.arguments.dropFirst()
  let dir = arguments.first ?? "/tmp/losslang-bench-data"
  let interpreter = try Interpreter()
  let pred = try loadInput("pred", from: dir, interpreter)
  let target = try loadInput("target", from: dir, interpreter)
  let loss = try interpreter.compile("mse_loss(pred, target)", inputs: [
    "pred": TensorType(shape: pred.shape, dtype: pred.dtype),
    "target": TensorType(shape: target.shape, dtype: target.dtype),
  ])
  let inputs = ["pred": pred, "target": target]
  let wrt = ["pred", "target"]
  let (value, gradients) = try loss.valueAndGradient(inputs, wrt: wrt)
  guard let lossValue = value.scalar, gradients.count == 2 else {
    throw BenchmarkFailure(description: "expected a scalar loss and two gradients")
  }
  guard abs(lossValue - expectedLoss) <= 1e-6 * abs(expectedLoss) else {
    throw BenchmarkFailure(description: "loss \(lossValue) differs from the peers' \(expectedLoss)")
  }
  guard !loss.isRetracing else { throw BenchmarkFailure(description: "mse_loss is re-traced on every call") }
  let seconds = try medianCallTime(batches: 20, calls: 10_000) {
    _ = try loss.valueAndGradient(inputs, wrt: wrt)
  }
  print("W6_small_mse compiled median_us=\(String(format: "%.3f", seconds * 1e6)) loss=\(lossValue)")
}

do {
  try run()
} catch {
  FileHandle.standardError.write(Data("losslang-bench: \(error)\n".utf8))
  exit(1)
}
