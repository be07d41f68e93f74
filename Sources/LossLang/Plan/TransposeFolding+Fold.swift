extension TransposeFolding {
  /// One transpose to fold: its region (the values computed from it) and their readers.
  struct Fold {
    /// The transpose.
    let transpose: Int
    /// The region: the values computed from the transpose (the transpose included).
    let region: Set<Int>
    /// The nodes reading the region as exits (`Role.exit`).
    let exits: Set<Int>
    /// Whether each node is needed.
    let live: [Bool]

    /// The fold of transpose `p`, or nil if a value computed from it is a root, is read
    /// other than inside the region or by an exit, or reads an input that cannot be
    /// transposed (`transposable`). Visits the region's users and inputs only.
    init?(transpose p: Int, nodes: [PlanNode], live: [Bool], users: [[Int]], roots: Set<Int>) {
      var region: Set<Int> = [p]
      var exits: Set<Int> = []
      var stack = [p]
      while let x = stack.popLast() {
        if roots.contains(x) { return nil }
        for i in users[x] where !region.contains(i) && !exits.contains(i) {
          switch TransposeFolding.role(of: nodes[i], reading: nodes[x]) {
          case .inside?:
            region.insert(i)
            stack.append(i)
          case .exit?: exits.insert(i)
          case nil: return nil
          }
        }
      }
      var memo: [Int: Bool] = [:]
      for i in region where i != p {
        for j in nodes[i].inputs where !region.contains(j) {
          if !Self.transposable(j, nodes: nodes, memo: &memo) { return nil }
        }
      }
      self.transpose = p
      self.region = region
      self.exits = exits
      self.live = live
    }

    /// Whether node `y`, outside the region and read by a 2-D elementwise node, can be read
    /// transposed: a one-element value; a vector (broadcast along the last axis: reshaped to
    /// a column); a 2-D value with a unit axis (reshaped); or an elementwise node, cast or
    /// broadcast of values that can.
    static func transposable(_ y: Int, nodes: [PlanNode], memo: inout [Int: Bool]) -> Bool {
      if let known = memo[y] { return known }
      let node = nodes[y]
      var result = node.count == 1 || node.shape.count == 1 || (node.shape.count == 2 && node.shape.contains(1))
      if !result, node.shape.count == 2 {
        switch node.op {
        case .pointwise, .cast, .expand:
          result = node.inputs.allSatisfy { transposable($0, nodes: nodes, memo: &memo) }
        default:
          break
        }
      }
      memo[y] = result
      return result
    }

    /// The plan graph with the region computed transposed: the live nodes in order, each
    /// region node replaced by its transpose, each exit reading the transposed region, and
    /// the transposes of outside inputs the region reads added before their first reader.
    func apply(_ nodes: [PlanNode], roots: [Int]) -> (nodes: [PlanNode], roots: [Int]) {
      var out: [PlanNode] = []
      var map = [Int](repeating: -1, count: nodes.count)  // each live node's index in `out`
      var flipped = [Int](repeating: -1, count: nodes.count)  // each node's transpose in `out`
      func append(_ node: PlanNode) -> Int {
        out.append(node)
        return out.count - 1
      }
      // `x` (mapped) in `shape`, a view made by a rewrite.
      func reshape(_ x: Int, _ shape: [Int]) -> Int {
        append(PlanNode(op: .primitive(.reshape), inputs: [map[x]], shape: shape, dtype: nodes[x].dtype, source: nil))
      }
      // The transpose of outside node `y` (Fold.init checked it can be made).
      func transposed(_ y: Int) -> Int {
        if flipped[y] >= 0 { return flipped[y] }
        let node = nodes[y]
        if node.count == 1 {
          flipped[y] = map[y]
        } else if node.shape.count == 1 {
          flipped[y] = reshape(y, [node.count, 1])  // broadcast along the last axis: now the first
        } else if node.shape.contains(1) {
          flipped[y] = reshape(y, swapped(node.shape))
        } else {
          let inputs = node.inputs.map { transposed($0) }
          flipped[y] = append(PlanNode(op: node.op, inputs: inputs, shape: swapped(node.shape), dtype: node.dtype, source: node.source))
        }
        return flipped[y]
      }
      for i in nodes.indices where live[i] {
        let node = nodes[i]
        if i == transpose {
          flipped[i] = map[node.inputs[0]]
        } else if region.contains(i) || exits.contains(i) {
          let inputs = node.inputs.map { region.contains($0) ? flipped[$0] : transposed($0) }
          if case .primitive(.permute) = node.op {
            map[i] = inputs[0]
            continue
          }
          let (op, source) = transposedOp(node)
          let inside = region.contains(i)
          let k = append(PlanNode(op: op, inputs: inputs, shape: inside ? swapped(node.shape) : node.shape, dtype: node.dtype, source: source))
          if inside { flipped[i] = k } else { map[i] = k }
        } else {
          var copy = node
          copy.inputs = node.inputs.map { map[$0] }
          map[i] = append(copy)
        }
      }
      return (out, roots.map { map[$0] })
    }
  }
}
