/// One fused kernel ready to run: a tile-VM program and where its operands and results live.
struct KernelStep {
  /// The program.
  let program: KernelProgram
  /// The iteration space.
  let shape: [Int]
  /// Plan nodes read as operands, in register order.
  let operands: [Int]
  /// Element strides of each operand over `shape`.
  let strides: [[Int]]
  /// The plan node each program output produces (a stored value or a full sum).
  let results: [Int]
  /// The shape of each result.
  let resultShapes: [[Int]]
  /// The walk position of the graph node whose span an error reports.
  let source: Int?
}
