/// The tensor leaves of a parameter or gradient tree, in order, with each one's position
/// in the tree as text (`["layers"][1]["weight"]`; empty for a tree that is one tensor).
struct TreeLeaves {
  /// The leaves' values.
  var tensors: [Tensor]
  /// The leaves' positions, one per tensor.
  var positions: [String]

  /// The position of leaf `i` as messages write it: the tree's name and the path in it
  /// (`params["w"]`, `grads[1]`, `params`).
  func name(_ i: Int, in tree: String) -> String { tree + positions[i] }
}
