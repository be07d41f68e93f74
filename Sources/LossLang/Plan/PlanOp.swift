import CLossKernel

/// What a node of an execution plan computes.
///
/// The planner rewrites the traced graph into this form: elementwise work becomes
/// `pointwise` VM opcodes (so rewrites may introduce opcodes the graph never names), numbers known
/// while planning become `literal`s, and everything the tile VM cannot fuse stays a
/// `primitive` evaluated by the graph on the node it came from.
enum PlanOp {
  /// A value present when planning starts: the graph's node at this walk position.
  case leaf(Int)
  /// A one-element constant whose value is part of the plan (and of its cache key).
  case literal(Tensor)
  /// A tile-VM opcode over the inputs (arity from ops.def).
  case pointwise(lk_opcode)
  /// The input converted to this node's dtype (free inside a fused kernel: done on load).
  case cast
  /// The input broadcast to this node's shape (free inside a fused kernel: a zero stride).
  case expand
  /// Any other primitive: what the planner knows of it (the graph computes it on the node
  /// at walk position `source`).
  case primitive(PlanPrimitive)
}
