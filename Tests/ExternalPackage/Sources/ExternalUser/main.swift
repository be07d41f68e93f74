// Compiles the design card's focal loss from a string and prints its value and gradient,
// one number per line, for the test to compare with PyTorch.
import LossLang

do {
  let interpreter = try Interpreter()
  let loss = try interpreter.compile(
    "alpha = 0.25; gamma = 2; mean(alpha * (1-pt)^gamma * -log(pt))",
    inputs: ["pt": TensorType(shape: [3])])
  let pt = try Tensor([0.9, 0.2, 0.6] as [Float], shape: [3])
  let (value, grads) = try loss.valueAndGradient(["pt": pt], wrt: ["pt"])
  print(value.scalars[0])
  for g in grads["pt"]?.scalars ?? [] { print(g) }
} catch {
  print("error: \(error)")
}
