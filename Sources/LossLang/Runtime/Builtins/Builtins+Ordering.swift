/// Ordering builtins: `sort argsort topk`.
///
/// The order is computed from the input's values, then the values are gathered from the
/// input, so their gradient scatters back to the picked positions (as in PyTorch). The
/// indices are whole-number float tensors without a gradient. The sort is stable (ties keep
/// their original order, like `torch.sort(stable=True)`; PyTorch's default sort and its
/// `topk` leave the order of ties unspecified) and NaN sorts as the largest value.
extension Builtins {
  static func registerOrdering(in r: Registry) {
    r.builtin("sort", ["x", "axis=-1", "descending=false"], category: "ordering",
              doc: "sort(x, axis=-1, descending=false): [values, indices] of x sorted along the axis. Stable (ties keep their order); NaN sorts as the largest value; values are differentiable.") { a in
      let x = try a.tensor(0)
      let (values, indices) = try ordered(a, x, axis: a.axis(1, rank: max(x.shape.count, 1)), descending: a.bool(2), k: nil)
      return .list([.tensor(values), .tensor(indices)])
    }
    r.builtin("argsort", ["x", "axis=-1", "descending=false"], category: "ordering",
              doc: "argsort(x, axis=-1, descending=false): the indices that sort x along the axis (stable; NaN sorts as the largest value), as whole-number floats.") { a in
      let x = try a.tensor(0)
      return .tensor(try ordered(a, x, axis: a.axis(1, rank: max(x.shape.count, 1)), descending: a.bool(2), k: nil).indices)
    }
    r.builtin("topk", ["x", "k", "axis=-1", "largest=true"], category: "ordering",
              doc: "topk(x, k, axis=-1, largest=true): [values, indices] of the k largest (or smallest) elements along the axis, in sorted order; ties keep their original order; values are differentiable.") { a in
      let x = try a.tensor(0)
      let axis = try a.axis(2, rank: max(x.shape.count, 1))
      let size = x.shape.isEmpty ? 1 : x.shape[axis]
      let k = try a.int(1)
      guard k >= 0, k <= size else {
        throw a.error(1, "must be between 0 and \(size) (the size of axis \(axis)), got \(k)")
      }
      let (values, indices) = try ordered(a, x, axis: axis, descending: a.bool(3), k: k)
      return .list([.tensor(values), .tensor(indices)])
    }
  }

  /// The values of `x` sorted along `axis` (the first `k` of each line when `k` is given)
  /// as a gather from `x`, and their indices along the axis.
  private static func ordered(_ a: Arguments, _ x: Node, axis: Int, descending: Bool, k: Int?) throws -> (values: Node, indices: Node) {
    let data = try a.evaluator.materialize(x).scalars
    let lines = AxisLines(shape: x.shape, axis: axis)
    let keep = k ?? lines.length
    var shape = x.shape
    if !shape.isEmpty { shape[axis] = keep }
    let out = AxisLines(shape: shape, axis: axis)
    var positions = [Int](repeating: 0, count: lines.count * keep)
    var indices = [Double](repeating: 0, count: positions.count)
    for line in 0..<lines.count {
      let order = (0..<lines.length).sorted { i, j in
        let u = data[lines.position(line, i)], v = data[lines.position(line, j)]
        return precedes(u, v, descending: descending) || (!precedes(v, u, descending: descending) && i < j)
      }
      for (j, i) in order.prefix(keep).enumerated() {
        positions[out.position(line, j)] = lines.position(line, i)
        indices[out.position(line, j)] = Double(i)
      }
    }
    let values = a.tracer.gather(x, IndexList(positions), shape: shape)
    let indexType: DType = x.dtype == .float64 ? .float64 : .float32
    return (values, a.tracer.constant(try Tensor(indices, shape: shape, dtype: indexType)))
  }

  /// Whether `u` comes strictly before `v` in the order; NaN is larger than every number.
  private static func precedes(_ u: Double, _ v: Double, descending: Bool) -> Bool {
    if descending { return !v.isNaN && (u.isNaN || u > v) }
    return !u.isNaN && (v.isNaN || u < v)
  }
}
