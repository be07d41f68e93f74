/// Scan builtins: `cumsum cumprod`, native operations with PyTorch's gradients.
extension Builtins {
  static func registerScans(in r: Registry) {
    r.builtin("cumsum", ["x", "axis"], category: "scan",
              doc: "cumsum(x, axis): running sums along the axis (torch.cumsum); its gradient is the reversed running sum of the cotangent.") { a in
      let x = try a.tensor(0)
      let op = CumulativeSum(axis: try a.axis(1, rank: max(x.shape.count, 1)), reversed: false)
      return .tensor(try a.tracer.custom(op, [x], shape: x.shape, dtype: x.dtype))
    }
    r.builtin("cumprod", ["x", "axis"], category: "scan",
              doc: "cumprod(x, axis): running products along the axis (torch.cumprod); its gradient is exact where x has zeros (as PyTorch's) and differentiable again.") { a in
      let x = try a.tensor(0)
      let op = CumulativeProduct(axis: try a.axis(1, rank: max(x.shape.count, 1)))
      return .tensor(try a.tracer.custom(op, [x], shape: x.shape, dtype: x.dtype))
    }
  }
}
