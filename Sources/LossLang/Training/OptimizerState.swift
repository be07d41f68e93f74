/// An optimizer's state between steps: its update rule, the steps taken, and per tree
/// position the shape and dtype fixed at the first step with the rule's buffers.
///
/// A step checks everything (the trees' positions, shapes, dtypes, the learning rate) and
/// allocates every new tensor before it changes anything, so a step that throws leaves the
/// state as it was.
final class OptimizerState {
  /// The update rule and its hyperparameters.
  let rule: UpdateRule
  /// Whether gradients are followed uphill (torch's `maximize`).
  let maximize: Bool
  /// The steps taken since creation or the last ``reset()``.
  private(set) var steps = 0
  /// The positions of the first step's parameter tree; nil before the first step.
  private var positions: [String]?
  /// One slot per position, in order.
  private var slots: [OptimizerSlot] = []

  init(rule: UpdateRule, maximize: Bool) {
    self.rule = rule
    self.maximize = maximize
  }

  /// Forgets every buffer and the first step's tree; the next step is step 1 again.
  func reset() {
    steps = 0
    positions = nil
    slots = []
  }

  /// Takes one step with learning rate `lr`: the new parameters, one per leaf of `params`,
  /// as new tensors (the given ones are not changed).
  func step(params: TreeLeaves, grads: TreeLeaves, lr: Double) throws -> [Tensor] {
    guard lr >= 0 else {
      throw failure("the learning rate for step \(steps + 1) is \(UpdateRule.text(lr)); it must be non-negative")
    }
    guard !params.tensors.isEmpty else { throw failure("params holds no tensor to optimize") }
    try checkTrees(params, grads)
    let gradients = try zip(params.tensors, grads.tensors).map { p, g in g.dtype == p.dtype ? g : try g.converted(to: p.dtype) }
    let outputs = try params.tensors.map { try Tensor(uninitialized: $0.shape, dtype: $0.dtype) }
    if positions == nil {
      let fresh = try params.tensors.map { p in
        OptimizerSlot(shape: p.shape, dtype: p.dtype, buffers: try (0..<rule.bufferCount).map { _ in try filled(like: p) })
      }
      slots = fresh
      positions = params.positions
    }
    steps += 1
    for i in slots.indices {
      update(params.tensors[i], gradients[i], into: outputs[i], slots[i], lr: lr)
    }
    return outputs
  }

  /// Throws unless `params` has the first step's positions, shapes and dtypes (any
  /// positions on the first step), and `grads` has the positions and shapes of `params`.
  private func checkTrees(_ params: TreeLeaves, _ grads: TreeLeaves) throws {
    if let positions,
      let difference = Self.difference(params.positions, "params", from: positions, "the first step", "had")
    {
      throw failure("params does not have the first step's tree: \(difference)")
    }
    if let difference = Self.difference(grads.positions, "grads", from: params.positions, "params", "has") {
      throw failure("grads does not have the tree of params: \(difference)")
    }
    for (i, (p, g)) in zip(params.tensors, grads.tensors).enumerated() {
      let name = params.name(i, in: "params")
      guard p.dtype != .bool else { throw failure("\(name) is a bool tensor; only float32 and float64 tensors can be optimized") }
      if positions != nil, p.shape != slots[i].shape {
        throw failure("\(name) has shape \(p.shape), but had shape \(slots[i].shape) at the first step")
      }
      if positions != nil, p.dtype != slots[i].dtype {
        throw failure("\(name) is \(p.dtype.rawValue), but was \(slots[i].dtype.rawValue) at the first step")
      }
      guard g.shape == p.shape else {
        throw failure("\(grads.name(i, in: "grads")) has shape \(g.shape), but \(name) has shape \(p.shape)")
      }
    }
  }

  /// Where the tree `name` with leaf `positions` first departs from the `reference`
  /// positions, those of a parameter tree that `referenceName` `verb`, as a phrase: `params["v"] where
  /// the first step had params["w"]`, `an extra tensor at grads[2]`, `no tensor at grads[2],
  /// which params has`; nil when they agree.
  static func difference(
    _ positions: [String], _ name: String, from reference: [String], _ referenceName: String, _ verb: String
  ) -> String? {
    for (i, position) in positions.enumerated() {
      guard i < reference.count else { return "an extra tensor at \(name)\(position)" }
      if position != reference[i] { return "\(name)\(position) where \(referenceName) \(verb) params\(reference[i])" }
    }
    guard positions.count < reference.count else { return nil }
    return "no tensor at \(name)\(reference[positions.count]), which \(referenceName) \(verb)"
  }

  /// A new buffer of `p`'s shape and dtype holding the rule's initial value.
  private func filled(like p: Tensor) throws -> Tensor {
    let t = try Tensor(zeros: p.shape, dtype: p.dtype)
    let value = rule.initialBufferValue
    if value != 0 { for i in 0..<t.count { t[flat: i] = value } }
    return t
  }

  /// Runs the fused update of one position in its dtype.
  private func update(_ param: Tensor, _ grad: Tensor, into out: Tensor, _ slot: OptimizerSlot, lr: Double) {
    switch param.dtype {
    case .float64: run(Double.self, param, grad, out, slot, lr: lr)
    case .float32, .bool: run(Float.self, param, grad, out, slot, lr: lr)
    }
  }

  /// Runs the fused update of one position with elements of type `T` (its storage type).
  private func run<T: BinaryFloatingPoint>(
    _: T.Type, _ param: Tensor, _ grad: Tensor, _ out: Tensor, _ slot: OptimizerSlot, lr: Double
  ) {
    let update = FusedUpdate<T>(
      param: UnsafePointer(param.storage.pointer.assumingMemoryBound(to: T.self)),
      grad: UnsafePointer(grad.storage.pointer.assumingMemoryBound(to: T.self)),
      out: out.storage.pointer.assumingMemoryBound(to: T.self),
      buffers: slot.buffers.map { $0.storage.pointer.assumingMemoryBound(to: T.self) },
      count: param.count, maximize: maximize)
    update.apply(rule, lr: lr, step: steps)
  }

  /// An error from `step`, naming the optimizer's method.
  private func failure(_ message: String) -> LossLangError {
    LossLangError(.runtime, "\(rule.name).step: \(message)")
  }
}
