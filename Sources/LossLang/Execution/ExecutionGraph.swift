/// The graph a plan runs on, as the execution layer sees it: nodes by walk position, whose
/// leaves hold values and whose primitives the graph's own layer computes.
///
/// A plan names no node type: it reads leaves, evaluates primitive steps, tags results
/// and locates errors through this protocol (the traced graph's `LiveGraph` conforms).
protocol ExecutionGraph {
  /// The walk position of each requested value (-1: a value the plan computes from none).
  var roots: [Int] { get }
  /// The value of the node at `position`, if it has one.
  func value(at position: Int) -> Tensor?
  /// The dtype of the node at `position`.
  func dtype(at position: Int) -> DType
  /// Where in the source the node at `position` was written, for errors.
  func span(at position: Int) -> SourceSpan?
  /// The value of the primitive node at `position` on its computed `inputs`.
  func evaluate(at position: Int, _ inputs: [Tensor]) throws -> Tensor
}
