import Synchronization

/// The source of `Node.stamp`: one counter for the process, so stamps order nodes created by
/// any interpreter or thread.
private let nodeStamps = Atomic<UInt64>(0)

/// One value in the traced computation graph: a primitive op applied to input nodes.
///
/// Nodes are reference-counted: a value keeps alive the history a later `grad` through it
/// could need (see `HistoryPruning`). Shape and dtype are fixed when the node is recorded;
/// the value is computed on demand by `Executor` and cached on the nodes that were asked for.
final class Node {
  /// The primitive.
  let op: Op
  /// The operands, in the op's order.
  private(set) var inputs: [Node]
  /// The result's shape.
  let shape: [Int]
  /// The result's dtype.
  let dtype: DType
  /// Whether this is a weakly typed number (a literal) that adopts the dtype it meets.
  let isWeak: Bool
  /// The source expression that recorded it, for error messages.
  let span: SourceSpan?
  /// The materialized value (always set for constants).
  var value: Tensor?
  /// For a tensor written as a list literal `[a, b]`, the items it stacks: where a list is
  /// expected (`grad(y, [a, b])`, `concat([a, b])`), the items themselves are used.
  var literalItems: [Node]?
  /// For a tensor written out of numbers (`[0.2, 0.5]`), its values in float64, in row-major
  /// order: a decimal literal keeps them until it meets a dtype, so `float64([0.2])` is exact.
  var exactValues: [Double]?
  /// Whether this is an input placeholder of a loss being compiled: it has no value while
  /// tracing, and reading it means the graph depends on data.
  var isPlaceholder = false
  /// Whether an assignment bound a name to this node: a bound literal keeps its identity
  /// (meeting a tensor records a cast instead of a new constant), so `grad` reaches it.
  var isBound = false
  /// Whether `grad` created this node (its span is the forward expression it differentiates).
  var isGradient = false
  /// For the stable form of a textbook formula (`logsigmoid(x)` for `log(sigmoid(x))`), the
  /// formula as written (see `Tracer.rewritten`).
  var rewrite: RewriteOrigin?
  /// When the node was recorded: larger than every input's stamp, so a node whose stamp is
  /// below `x`'s cannot depend on `x` (backward walks stop there).
  let stamp = nodeStamps.add(1, ordering: .relaxed).newValue
  /// The allocation budget this node is charged to (``accountedBytes``) until it is freed.
  private let budget = AllocationBudget.current

  /// The memory a node is charged as: an estimate of the object with its inputs and shape
  /// arrays (the history of `s = s + 1` in a loop measures about 240 bytes a node), plus 8
  /// bytes a dimension.
  var accountedBytes: Int { 256 + 8 * shape.count }

  /// Records an op node; the caller (`Tracer`) has checked shapes.
  init(op: Op, inputs: [Node], shape: [Int], dtype: DType, isWeak: Bool = false, span: SourceSpan?) {
    self.op = op
    self.inputs = inputs
    self.shape = shape
    self.dtype = dtype
    self.isWeak = isWeak
    self.span = span
    budget?.record(accountedBytes)
  }

  /// Creates a constant leaf.
  init(constant value: Tensor, isWeak: Bool = false, span: SourceSpan? = nil) {
    self.op = .constant
    self.inputs = []
    self.shape = value.shape
    self.dtype = value.dtype
    self.isWeak = isWeak
    self.span = span
    self.value = value
    budget?.record(accountedBytes)
  }

  /// Number of elements.
  var count: Int { shape.reduce(1, *) }

  /// Makes a computed node a leaf: its inputs, and whatever only they kept alive, are
  /// released. Gradients then stop at this node, as at a constant.
  func dropHistory() {
    guard value != nil else { return }
    moveRewriteToInputs()
    Self.release(&inputs)
  }

  /// Releases long input chains iteratively, so dropping a 100 000-step history cannot
  /// overflow the stack through nested `deinit`s.
  deinit {
    budget?.credit(accountedBytes)
    moveRewriteToInputs()
    Self.release(&inputs)
  }

  /// Forgets the written formula of a rewritten node, handing its nodes to `inputs` so that
  /// `release` frees them iteratively (a chain of rewrites must not free itself recursively).
  private func moveRewriteToInputs() {
    guard let origin = rewrite else { return }
    rewrite = nil
    inputs += [origin.naive] + origin.operands
  }

  /// Empties `nodes`, freeing the histories only they kept alive iteratively (a rewritten
  /// node's written formula included).
  private static func release(_ nodes: inout [Node]) {
    var pending: [Node] = []
    swap(&pending, &nodes)
    while var node = pending.popLast() {
      if isKnownUniquelyReferenced(&node) {
        node.moveRewriteToInputs()
        pending.append(contentsOf: node.inputs)
        node.inputs = []
      }
    }
  }
}

extension Node {
  /// Every node reachable from `roots` (inputs before users), visited iteratively.
  ///
  /// `stop` prunes the walk: a node for which it returns true is included but its inputs
  /// are not visited.
  static func topologicalOrder(from roots: [Node], stop: (Node) -> Bool = { _ in false }) -> [Node] {
    walk(from: roots, stop: stop).order
  }

  /// `topologicalOrder(from:stop:)` together with each node's position in the order.
  static func walk(from roots: [Node], stop: (Node) -> Bool = { _ in false }) -> (order: [Node], position: NodeIndex) {
    var order: [Node] = []
    order.reserveCapacity(32)
    // The position in `order` once done; -1 while on the stack.
    var position = NodeIndex(capacity: 32)
    var stack: [(Node, Int)] = roots.reversed().map { ($0, 0) }
    while let (node, next) = stack.popLast() {
      if next == 0 {
        if position.contains(node) { continue }
        if stop(node) {
          position.set(node, order.count)
          order.append(node)
          continue
        }
        position.set(node, -1)
      }
      if next < node.inputs.count {
        stack.append((node, next + 1))
        let child = node.inputs[next]
        if !position.contains(child) { stack.append((child, 0)) }
      } else {
        position.set(node, order.count)
        order.append(node)
      }
    }
    return (order, position)
  }
}
