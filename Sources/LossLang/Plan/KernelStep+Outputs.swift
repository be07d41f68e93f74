import CLossKernel

extension KernelStep {
  /// This step with its program's outputs replaced by `outputs`, each producing the slot of
  /// `results` at its position with the shape of `resultShapes` there (the inputs, operands and
  /// registers kept; the instructions no output needs any more dropped): how the row chain's
  /// sharing passes hand an output from one kernel to another.
  func withOutputs(_ outputs: [lk_output], results: [Int], resultShapes: [[Int]]) -> KernelStep {
    let p = program
    var changed = KernelProgram(
      dtype: p.dtype, inputCount: p.inputCount, registerCount: p.registerCount, instructions: p.instructions,
      outputs: outputs)
    changed.rowLength = p.rowLength
    return KernelStep(
      program: changed.withoutDeadInstructions(), shape: shape, operands: operands, strides: strides,
      results: results, resultShapes: resultShapes, source: source)
  }
}
