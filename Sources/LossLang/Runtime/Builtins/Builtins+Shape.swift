/// Shape builtins: `shape ndim numel reshape transpose permute expand squeeze unsqueeze
/// concat stack flatten one_hot`.
extension Builtins {
  static func registerShape(in r: Registry) {
    r.builtin("shape", ["x"], category: "shape", doc: "shape(x): the sizes of x's axes, as a list of numbers.") { a in
      .list(try a.tensor(0).shape.map { .tensor(a.tracer.weakScalar(Double($0))) })
    }
    r.builtin("ndim", ["x"], category: "shape", doc: "ndim(x): the number of axes.") { a in
      .tensor(a.tracer.weakScalar(Double(try a.tensor(0).shape.count)))
    }
    r.builtin("numel", ["x"], category: "shape", doc: "numel(x): the number of elements.") { a in
      .tensor(a.tracer.weakScalar(Double(try a.tensor(0).count)))
    }
    r.builtin("reshape", ["x", "shape"], category: "shape",
              doc: "reshape(x, shape): same elements in a new shape; one size may be -1 (inferred).") { a in
      let x = try a.tensor(0)
      var shape = try a.shape(1)
      if let i = shape.firstIndex(of: -1) {
        let known = try? Tensor.elementCount(shape.filter { $0 != -1 })
        guard shape.filter({ $0 == -1 }).count == 1, let known, known > 0, x.count % known == 0 else {
          throw a.error(1, "cannot reshape a tensor of shape \(x.shape) into shape \(shape)")
        }
        shape[i] = x.count / known
      }
      return .tensor(try a.tracer.reshape(x, shape))
    }
    r.builtin("transpose", ["x", "axis0=none", "axis1=none"], category: "shape",
              doc: "transpose(x, axis0=none, axis1=none): swaps two axes, or reverses all axes when none are given (x.T).") { a in
      let x = try a.tensor(0)
      let rank = x.shape.count
      var perm = Array((0..<rank).reversed())
      if !a.isNone(1) || !a.isNone(2) {
        let i = try a.axis(1, rank: rank), j = try a.axis(2, rank: rank)
        perm = Array(0..<rank)
        perm.swapAt(i, j)
      }
      return .tensor(try a.tracer.permute(x, perm))
    }
    r.builtin("permute", ["x", "axes"], category: "shape", doc: "permute(x, axes): reorders axes; output axis i is input axis axes[i].") { a in
      let x = try a.tensor(0)
      let perm = try a.wholeNumbers(1).map { $0 < 0 ? $0 + x.shape.count : $0 }
      return .tensor(try a.tracer.permute(x, perm))
    }
    r.builtin("expand", ["x", "shape"], category: "shape", doc: "expand(x, shape): broadcasts x to shape (NumPy rules; -1 keeps a size).") { a in
      let x = try a.tensor(0)
      var shape = try a.shape(1)
      let lead = shape.count - x.shape.count
      for (i, d) in shape.enumerated() where d == -1 {
        guard i >= lead else { throw a.error(1, "-1 is not allowed for a new leading axis") }
        shape[i] = x.shape[i - lead]
      }
      return .tensor(try a.tracer.expand(x, to: shape))
    }
    r.builtin("squeeze", ["x", "axis=none"], category: "shape", doc: "squeeze(x, axis=none): removes axes of size 1 (all of them, or the given ones).") { a in
      let x = try a.tensor(0)
      let axes = try a.axes(1, rank: x.shape.count) ?? x.shape.indices.filter { x.shape[$0] == 1 }
      let shape = x.shape.enumerated().filter { !(axes.contains($0.offset) && $0.element == 1) }.map(\.element)
      return .tensor(try a.tracer.reshape(x, shape))
    }
    r.builtin("unsqueeze", ["x", "axis"], category: "shape", doc: "unsqueeze(x, axis): inserts an axis of size 1 at position axis.") { a in
      let x = try a.tensor(0)
      let axis = try a.axis(1, rank: x.shape.count + 1)
      var shape = x.shape
      shape.insert(1, at: axis)
      return .tensor(try a.tracer.reshape(x, shape))
    }
    r.builtin("flatten", ["x", "start_axis=0", "end_axis=-1"], category: "shape",
              doc: "flatten(x, start_axis=0, end_axis=-1): merges the axes start_axis…end_axis into one.") { a in
      let x = try a.tensor(0)
      if x.shape.isEmpty { return .tensor(try a.tracer.reshape(x, [1])) }
      let s = try a.axis(1, rank: x.shape.count), e = try a.axis(2, rank: x.shape.count)
      guard s <= e else { throw a.error(1, "must not come after end_axis") }
      let shape = Array(x.shape[..<s]) + [x.shape[s...e].reduce(1, *)] + Array(x.shape[(e + 1)...])
      return .tensor(try a.tracer.reshape(x, shape))
    }
    r.builtin("concat", ["tensors", "axis=0"], category: "shape", doc: "concat(tensors, axis=0): joins tensors along an existing axis.") { a in
      let parts = try a.list(0).map { v -> Node in
        guard let n = try a.evaluator.tensorValue(v) else { throw a.error(0, "must hold tensors, got \(v.typeName)") }
        return n
      }
      guard let first = parts.first else { throw a.error(0, "must not be empty") }
      return .tensor(try a.tracer.concat(parts, axis: try a.axis(1, rank: max(first.shape.count, 1))))
    }
    r.builtin("stack", ["tensors", "axis=0"], category: "shape", doc: "stack(tensors, axis=0): joins equal-shape tensors along a new axis.") { a in
      let parts = try a.list(0).map { v -> Node in
        guard let n = try a.evaluator.tensorValue(v) else { throw a.error(0, "must hold tensors, got \(v.typeName)") }
        return n
      }
      guard let first = parts.first else { throw a.error(0, "must not be empty") }
      guard parts.allSatisfy({ $0.shape == first.shape }) else {
        throw a.error(0, "must hold tensors of one shape, got \(parts.map(\.shape))")
      }
      let axis = try a.axis(1, rank: first.shape.count + 1)
      var shape = first.shape
      shape.insert(1, at: axis)
      return .tensor(try a.tracer.concat(parts.map { try a.tracer.reshape($0, shape) }, axis: axis))
    }
    r.builtin("one_hot", ["t", "num_classes=-1"], category: "shape",
              doc: "one_hot(t, num_classes=-1): a float tensor with one more axis, 1 at each class index (num_classes -1 = max(t)+1).") { a in
      let t = try a.tensor(0)
      let values = try a.evaluator.materialize(t).scalars
      var classes = try a.int(1)
      for v in values where v.rounded() != v || v < 0 || v >= (classes == -1 ? 9e15 : Double(classes)) {
        throw a.error(0, "class index \(v) is out of range for \(classes == -1 ? "one_hot" : "\(classes) classes")")
      }
      if classes == -1 { classes = Int(values.max() ?? -1) + 1 }
      guard classes >= 0 else { throw a.error(1, "must be -1 or a non-negative number of classes") }
      try a.tracer.checkSize(t.shape + [classes], t.dtype)
      let tr = a.tracer
      let classesNode = tr.constant(try Tensor((0..<classes).map(Double.init), shape: [classes], dtype: t.dtype))
      return .tensor(try tr.binary(.equal, tr.reshape(t, t.shape + [1]), classesNode))
    }
  }
}
