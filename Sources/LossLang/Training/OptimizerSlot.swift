/// What an optimizer keeps for one tree position: the shape and dtype the position had at
/// the first step, and the update rule's buffers for it (each of that shape and dtype).
struct OptimizerSlot {
  /// The parameter's shape at the first step; every later step must match it.
  let shape: [Int]
  /// The parameter's dtype at the first step; every later step must match it.
  let dtype: DType
  /// The rule's buffers (``UpdateRule/bufferCount`` of them), updated in place: the
  /// optimizer owns them and never hands them out.
  let buffers: [Tensor]
}
