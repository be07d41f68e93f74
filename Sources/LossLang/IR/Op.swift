/// The primitive operations of the graph IR: the ~40 things the kernel knows how to do.
///
/// Every builtin and prelude loss is built from these. Adding a primitive needs a shape
/// rule (`Tracer`), a kernel call (`Executor`), a VJP rule (`VJPRules`) and a gradcheck test.
enum Op: Sendable {
  /// A leaf holding a value: a literal, a bound input, a detached or random tensor.
  case constant
  /// An elementwise function of one tensor.
  case unary(UnaryOp)
  /// An elementwise function of two broadcast tensors.
  case binary(BinaryOp)
  /// `where(cond, a, b)`, elementwise with broadcasting; inputs are `[cond, a, b]`.
  case select
  /// A reduction over sorted, unique, non-negative axes.
  case reduce(ReduceOp, axes: [Int], keepdims: Bool)
  /// `log(sum(exp(x)))` over axes, computed stably in one kernel.
  case logsumexp(axes: [Int], keepdims: Bool)
  /// The p-norm over axes (a primitive so its gradient at 0 is 0, as PyTorch).
  case norm(p: Double, axes: [Int], keepdims: Bool)
  /// Index of the largest (`max`) or smallest element, as a float; `axis` nil means flat.
  case argReduce(max: Bool, axis: Int?, keepdims: Bool)
  /// The identity whose gradient is zero: stabilizing shifts such as the `max` subtracted
  /// in `log_softmax`, which must not be differentiated.
  case stopGradient
  /// Conversion to another dtype.
  case cast(DType)
  /// Same elements, new shape (the node's shape).
  case reshape
  /// Axes reordered: output axis `i` is input axis `perm[i]`.
  case permute([Int])
  /// Broadcast to the node's shape (NumPy rules).
  case expand
  /// `out.flat[i] = x.flat[indices[i]]`: every kind of indexing and slicing.
  case gather(IndexList)
  /// `out = zeros(shape); out.flat[indices[i]] += x.flat[i]`: the transpose of gather.
  case scatterAdd(IndexList)
  /// Batched matrix product of two tensors of rank ≥ 2 with broadcast batch axes.
  case matmul
  /// Concatenation along an axis.
  case concat(axis: Int)
  /// A native operation outside the primitive set, with its own kernel and VJP
  /// (compound builtins such as `ctc_loss`, and plugin ops).
  case custom(any CustomOperation)

  /// A short name for graph printing and error messages.
  var name: String {
    switch self {
    case .constant: "constant"
    case .unary(let op): "\(op)"
    case .binary(let op): "\(op)"
    case .select: "where"
    case .reduce(let op, _, _): "\(op)"
    case .logsumexp: "logsumexp"
    case .norm: "norm"
    case .argReduce(let isMax, _, _): isMax ? "argmax" : "argmin"
    case .stopGradient: "stop_gradient"
    case .cast(let dtype): "cast_\(dtype)"
    case .reshape: "reshape"
    case .permute: "permute"
    case .expand: "expand"
    case .gather: "gather"
    case .scatterAdd: "scatter_add"
    case .matmul: "matmul"
    case .concat: "concat"
    case .custom(let op): op.name
    }
  }
}
