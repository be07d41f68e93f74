/// The non-elementwise primitives of ``DerivativeTranslator``: these need their operand's
/// exact shape, and hide a reshape or broadcast whenever the reading does not change.
extension DerivativeTranslator {
  /// `term` evaluated to exactly `shape`: a broadcast number as `full`, a term of the same
  /// size as `reshape`, a smaller one as `expand`.
  mutating func exact(_ term: Int, _ shape: [Int]) -> Int {
    let natural = simplifier.expression.shape(term)
    if natural == shape { return term }
    let shapeText = Self.text(shape)
    if let v = simplifier.expression.number(term) {
      // full() makes float32: a number float32 cannot hold keeps float64 through expand.
      if Double(Float(v)) == v { return simplifier.call("full", [], extras: [shapeText, TensorFormatter.number(v)], shape: shape) }
      return simplifier.call("expand", [term], extras: [shapeText], shape: shape)
    }
    let function = Self.count(natural) == Self.count(shape) ? "reshape" : "expand"
    return simplifier.call(function, [term], extras: [shapeText], shape: shape)
  }

  /// A reduction node (`reduce`, `logsumexp`, `norm`) as its builtin; `keepdims` overrides
  /// the node's (a reshape that only keeps the reduced axes reads as `keepdims=true`).
  mutating func reduction(_ node: Node, keepdims: Bool?) -> Int {
    guard let (name, axes, nodeKeepdims, extras) = Self.reductionParts(node.op) else { return term(node) }
    let input = node.inputs[0]
    let reduction = Reduction(name: name, axes: axes, keepdims: keepdims ?? nodeKeepdims, extras: extras, inputShape: input.shape)
    return reduce(term(input), reduction)
  }

  /// One reduction's builtin, axes and input shape.
  struct Reduction {
    let name: String
    let axes: [Int]
    let keepdims: Bool
    let extras: [String]
    let inputShape: [Int]

    /// Whether a constant factor can be taken out (`sum(2 * x)` is `2 * sum(x)`).
    var isLinear: Bool { name == "sum" || name == "mean" }
  }

  /// `r` applied to term `x`, with constant factors and signs taken out and broadcast
  /// copies counted instead of summed.
  private mutating func reduce(_ x: Int, _ r: Reduction) -> Int {
    let shape = Tracer.reducedShape(r.inputShape, axes: r.axes, keepdims: r.keepdims)
    let natural = simplifier.expression.shape(x)
    if r.isLinear, case .binary(.multiply, let c, let e) = simplifier.expression[x].kind, simplifier.expression.number(c) != nil {
      return simplifier.binary(.multiply, c, reduce(e, r))
    }
    if r.isLinear, case .negate(let e) = simplifier.expression[x].kind { return simplifier.negate(reduce(e, r)) }
    // The same value everywhere: a sum of k copies is k times it; max, min, mean are it.
    if Self.count(natural) == 1, natural.count <= shape.count, ["sum", "mean", "max", "min"].contains(r.name) {
      let k = r.axes.reduce(1) { $0 * r.inputShape[$1] }
      return r.name == "sum" ? simplifier.binary(.multiply, simplifier.number(Double(k)), x) : x
    }
    // A full sum of a broadcast term: its own sum times the copies.
    if r.name == "sum", r.axes.count == r.inputShape.count, !r.keepdims {
      let copies = Double(Self.count(r.inputShape) / max(1, Self.count(natural)))
      return simplifier.binary(.multiply, simplifier.number(copies), simplifier.call("sum", [x], shape: []))
    }
    var arguments = r.extras
    if r.axes.count != r.inputShape.count {
      arguments.append(r.axes.count == 1 ? "axis=\(r.axes[0])" : "axis=\(Self.text(r.axes))")
    }
    if r.keepdims { arguments.append("keepdims=true") }
    return simplifier.call(r.name, [exact(x, r.inputShape)], extras: arguments, shape: shape)
  }

  /// A reshape, hidden when it only adds or drops leading 1-axes of a broadcast term.
  mutating func reshape(_ node: Node) -> Int {
    let input = node.inputs[0]
    let x = term(input)
    let natural = simplifier.expression.shape(x)
    let fits = (try? Broadcast.shape(natural, node.shape)) == node.shape
    if fits, Self.count(natural) == 1 || Self.dropLeadingOnes(input.shape) == Self.dropLeadingOnes(node.shape) {
      return x
    }
    if names[ObjectIdentifier(input)] == nil, let (_, axes, keepdims, _) = Self.reductionParts(input.op), !keepdims,
      node.shape == Tracer.reducedShape(input.inputs[0].shape, axes: axes, keepdims: true)
    {
      return reduction(input, keepdims: true)
    }
    return simplifier.call("reshape", [exact(x, input.shape)], extras: [Self.text(node.shape)], shape: node.shape)
  }

  /// Axes reordered: `transpose(x)` for a matrix, else `permute(x, perm)`.
  mutating func permute(_ node: Node, _ perm: [Int]) -> Int {
    let x = term(node.inputs[0])
    if Self.count(simplifier.expression.shape(x)) == 1 { return x }
    let exactX = exact(x, node.inputs[0].shape)
    if perm == [1, 0] { return simplifier.call("transpose", [exactX], shape: node.shape) }
    return simplifier.call("permute", [exactX], extras: [Self.text(perm)], shape: node.shape)
  }

  /// Indexing: a slice `x[0, 1:]` when the positions form one, else `flatten(x)[[i…]]`,
  /// reshaped to the node's shape; a uniform term is itself.
  mutating func gather(_ node: Node, _ indices: IndexList) -> Int {
    let input = node.inputs[0]
    let x = term(input)
    if Self.count(simplifier.expression.shape(x)) == 1 { return x }
    let exactX = exact(x, input.shape)
    guard let (text, natural) = SliceReading.index(of: indices.values, in: input.shape) else {
      return picked(exactX, Self.text(indices.values), count: indices.values.count, shape: node.shape)
    }
    let sliced = text.isEmpty ? exactX : simplifier.index(exactX, text, shape: natural)
    return natural == node.shape ? sliced : simplifier.call("reshape", [sliced], extras: [Self.text(node.shape)], shape: node.shape)
  }

  /// The transpose of indexing: each index's value put at its position, zeros elsewhere: a
  /// value times a 0/1 mask, a slice padded with zeros, or else indexing into the values
  /// followed by one zero. Repeated indices (which add up) have no such spelling.
  mutating func scatterAdd(_ node: Node, _ indices: IndexList) throws -> Int {
    let source = node.inputs[0]
    let n = source.count
    var position = [Int](repeating: n, count: node.count)
    for (i, j) in indices.values.enumerated() {
      guard position[j] == n else { throw Self.unspellable("scatter_add with repeated indices") }
      position[j] = i
    }
    let value = term(source)
    if Self.count(simplifier.expression.shape(value)) == 1, node.count <= 64 {
      // One value scattered: that value times a 0/1 mask.
      let mask = Self.literal(position.map { $0 == n ? 0.0 : 1.0 }[...], node.shape[...])
      return simplifier.binary(.multiply, value, simplifier.name(mask, shape: node.shape))
    }
    let x = exact(value, source.shape)
    if let ranges = SliceReading.ranges(of: indices.values, in: node.shape), ranges.allSatisfy({ $0.step == 1 }) {
      return padded(x, ranges, shape: node.shape)
    }
    let zero = simplifier.call("zeros", [], extras: ["1"], shape: [1])
    let flat = source.shape.count == 1 ? x : simplifier.call("flatten", [x], shape: [n])
    let list = simplifier.list([flat, zero])
    let padded = simplifier.call("concat", [list], shape: [n + 1])
    return picked(padded, Self.text(position), count: node.count, shape: node.shape)
  }

  /// `x`, the values of a contiguous slice (`ranges`) of `shape`, put among zeros: zero
  /// blocks concatenated before and after it along each sliced axis.
  private mutating func padded(_ x: Int, _ ranges: [StrideRange], shape: [Int]) -> Int {
    var counts = ranges.map(\.count)
    var block = simplifier.expression.shape(x) == counts
      ? x : simplifier.call("reshape", [x], extras: [Self.text(counts)], shape: counts)
    for (axis, range) in ranges.enumerated() where range.count != shape[axis] {
      let zeros = { [counts] (size: Int) -> (String, [Int]) in
        var zeroShape = counts
        zeroShape[axis] = size
        return (Self.text(zeroShape), zeroShape)
      }
      var parts = [block]
      let after = shape[axis] - range.start - range.count
      if range.start > 0 {
        let (text, zeroShape) = zeros(range.start)
        parts.insert(simplifier.call("zeros", [], extras: [text], shape: zeroShape), at: 0)
      }
      if after > 0 {
        let (text, zeroShape) = zeros(after)
        parts.append(simplifier.call("zeros", [], extras: [text], shape: zeroShape))
      }
      counts[axis] = shape[axis]
      block = simplifier.call("concat", [simplifier.list(parts)], extras: ["axis=\(axis)"], shape: counts)
    }
    return block
  }

  /// `flatten(x)[[i…]]` reshaped to `shape`.
  private mutating func picked(_ x: Int, _ indexText: String, count: Int, shape: [Int]) -> Int {
    let natural = simplifier.expression.shape(x)
    let flat = natural.count == 1 ? x : simplifier.call("flatten", [x], shape: [Self.count(natural)])
    let items = simplifier.index(flat, indexText, shape: [count])
    return shape == [count] ? items : simplifier.call("reshape", [items], extras: [Self.text(shape)], shape: shape)
  }

  /// A constant: a number when all its elements are equal, `arange(n)` (reshaped) when it
  /// counts 0, 1, …, a tensor literal when small or of whole numbers (a pick's classes,
  /// whose gradient compares them, as a scatter's positions were written out); any other
  /// larger tensor without a name in scope cannot be written.
  mutating func constant(_ node: Node) throws -> Int {
    guard let value = node.value, value.count > 0 else { throw Self.unnamed(node) }
    let values = (0..<value.count).map { value[flat: $0] }
    if values.allSatisfy({ $0 == values[0] }) { return simplifier.number(values[0]) }
    if values.count > 16, values.enumerated().allSatisfy({ $1 == Double($0) }) {
      let counting = simplifier.name("arange(\(values.count))", shape: [values.count])
      return node.shape == [values.count] ? counting
        : simplifier.call("reshape", [counting], extras: [Self.text(node.shape)], shape: node.shape)
    }
    guard values.count <= 16 || values.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) else { throw Self.unnamed(node) }
    return simplifier.name(Self.literal(values[...], node.shape[...]), shape: node.shape)
  }

  /// The error for a tensor the derivative needs that has no name in the caller's scope.
  private static func unnamed(_ node: Node) -> LossLangError {
    LossLangError(.runtime, "derive: the derivative uses a tensor of shape \(node.shape) that has no name here; bind it to a name first")
  }

  /// A nested list literal of `values` in `shape`.
  private static func literal(_ values: ArraySlice<Double>, _ shape: ArraySlice<Int>) -> String {
    guard let first = shape.first else { return values.first.map(TensorFormatter.number) ?? "0" }
    let size = values.count / max(1, first)
    let items = (0..<first).map { i in
      literal(values[(values.startIndex + i * size)..<(values.startIndex + (i + 1) * size)], shape.dropFirst())
    }
    return "[" + items.joined(separator: ", ") + "]"
  }

  /// The builtin name, axes, keepdims and extra arguments of a reduction op.
  static func reductionParts(_ op: Op) -> (String, [Int], Bool, [String])? {
    switch op {
    case .reduce(let r, let axes, let keepdims): ("\(r)", axes, keepdims, [])
    case .logsumexp(let axes, let keepdims): ("logsumexp", axes, keepdims, [])
    case .norm(let p, let axes, let keepdims):
      ("norm", axes, keepdims, p == 2 ? [] : ["p=" + (p.isInfinite ? "inf" : TensorFormatter.number(p))])
    default: nil
    }
  }

  /// `[2, 3]`.
  static func text(_ items: [Int]) -> String {
    "[" + items.map(String.init).joined(separator: ", ") + "]"
  }

  /// The number of elements of a shape.
  static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

  /// A shape without its leading 1-axes.
  private static func dropLeadingOnes(_ shape: [Int]) -> ArraySlice<Int> { shape.drop { $0 == 1 } }
}
