/// NumPy indexing: integers, slices, `...`, `none` (new axis), integer tensors (advanced
/// indexing) and bool masks, all lowered to one differentiable gather.
extension Evaluator {
  /// One resolved index item.
  private enum Item {
    case integer(Int)
    case range(StrideRange)
    case newAxis
    case array(shape: [Int], values: [Int])
  }

  /// One index item with its expressions evaluated.
  private enum Evaluated {
    case ellipsis
    case slice(start: Int?, stop: Int?, step: Int)
    case newAxis
    case tensor(Tensor)

    /// How many axes of the indexed tensor it stands for: a bool mask one per dimension.
    var axes: Int {
      switch self {
      case .ellipsis, .newAxis: 0
      case .slice: 1
      case .tensor(let t): t.dtype == .bool ? t.shape.count : 1
      }
    }
  }

  /// `base[items]`.
  func index(_ base: RuntimeValue, _ items: [IndexItem], in env: Environment) throws -> RuntimeValue {
    if case .dict(let dict) = base { return try entry(of: dict, items, in: env) }
    if case .list(let list) = base {
      guard items.count == 1, case .index(let e) = items[0] else {
        throw LossLangError(.runtime, "a list takes one integer index")
      }
      let i = try integer(evaluate(e, in: env), at: e.span)
      let k = i < 0 ? i + list.count : i
      guard k >= 0, k < list.count else {
        throw LossLangError(.runtime, "index \(i) is out of range for a list of \(list.count) items", span: e.span)
      }
      return list[k]
    }
    guard let x = try tensorValue(base) else { throw LossLangError(.runtime, "a \(base.typeName) cannot be indexed") }
    let resolved = try resolve(items, shape: x.shape, in: env)
    let (shape, indices) = try gatherIndices(resolved, shape: x.shape)
    return .tensor(try tracer.gatherPushingDown(x, indices, shape: shape))
  }

  /// `d["key"]`: the value of one key, or an error listing the keys there are.
  private func entry(of dict: OrderedDict<RuntimeValue>, _ items: [IndexItem], in env: Environment) throws -> RuntimeValue {
    guard items.count == 1, case .index(let e) = items[0] else {
      throw LossLangError(.runtime, "a dict takes one string key")
    }
    let key = try evaluate(e, in: env)
    guard case .string(let name) = key else {
      throw LossLangError(.runtime, "a dict's keys are strings, got \(key.typeName)", span: e.span)
    }
    guard let value = dict[name] else {
      throw LossLangError(.runtime, "key \(ASTPrinter.quote(name)) is not in the dict; its keys are \(Self.keyList(dict))", span: e.span)
    }
    return value
  }

  /// `"w", "b"` (the first few keys of a dict), or `none` when it is empty.
  static func keyList(_ dict: OrderedDict<RuntimeValue>) -> String {
    guard !dict.keys.isEmpty else { return "none (it is empty)" }
    let shown = dict.keys.prefix(8).map(ASTPrinter.quote).joined(separator: ", ")
    return dict.count > 8 ? shown + ", … (\(dict.count) keys)" : shown
  }

  /// Evaluates an index item's expressions, in source order.
  private func evaluateItem(_ item: IndexItem, in env: Environment) throws -> Evaluated {
    switch item {
    case .ellipsis: return .ellipsis
    case .slice(let lo, let hi, let st):
      let step = try st.map { try integer(evaluate($0, in: env), at: $0.span) } ?? 1
      guard step != 0 else { throw TensorError("slice step cannot be zero") }
      let start = try lo.map { try integer(evaluate($0, in: env), at: $0.span) }
      let stop = try hi.map { try integer(evaluate($0, in: env), at: $0.span) }
      return .slice(start: start, stop: stop, step: step)
    case .index(let e):
      let v = try evaluate(e, in: env)
      if case .none = v { return .newAxis }
      guard let node = try tensorValue(v) else { throw TensorError("an index must be a number or a tensor, got \(v.typeName)") }
      let t = try materialize(node)
      if t.dtype == .bool, t.shape.isEmpty {
        throw TensorError("a bool index must have at least one dimension, got a 0-d bool")
      }
      return .tensor(t)
    }
  }

  /// Evaluates index expressions and matches them to axes.
  private func resolve(_ items: [IndexItem], shape: [Int], in env: Environment) throws -> [(Item, Int?)] {
    let evaluated = try items.map { try evaluateItem($0, in: env) }
    let consuming = evaluated.reduce(0) { $0 + $1.axes }
    guard consuming <= shape.count else {
      if case .tensor(let mask)? = evaluated.first(where: { $0.axes > shape.count }) {
        throw TensorError("a bool index of shape \(mask.shape) has more dimensions than the tensor of shape \(shape)")
      }
      throw TensorError("too many indices: \(consuming) for a tensor with \(shape.count) dimensions")
    }
    guard evaluated.filter({ if case .ellipsis = $0 { return true } else { return false } }).count <= 1 else {
      throw TensorError("an index can only have a single ellipsis ('...')")
    }
    var out: [(Item, Int?)] = []
    var axis = 0
    for item in evaluated {
      switch item {
      case .ellipsis:
        for _ in 0..<(shape.count - consuming) {
          out.append((.range(StrideRange(start: 0, count: shape[axis], step: 1)), axis))
          axis += 1
        }
      case .slice(let start, let stop, let step):
        out.append((.range(Self.sliceRange(start, stop, step, size: shape[axis])), axis))
        axis += 1
      case .newAxis:
        out.append((.newAxis, nil))
      case .tensor(let t) where t.dtype == .bool:
        out += try Self.maskItems(t, shape: shape, axis: axis)
        axis += t.shape.count
      case .tensor(let t):
        let size = shape[axis]
        let values = try t.scalars.map { d -> Int in
          guard d.rounded() == d, abs(d) < 9e15 else { throw TensorError("index \(d) is not a whole number") }
          let i = Int(d)
          guard i >= -size, i < size else {
            throw TensorError("index \(i) is out of bounds for axis \(axis) with size \(size)")
          }
          return i < 0 ? i + size : i
        }
        out.append((t.shape.isEmpty ? .integer(values[0]) : .array(shape: t.shape, values: values), axis))
        axis += 1
      }
    }
    while axis < shape.count {
      out.append((.range(StrideRange(start: 0, count: shape[axis], step: 1)), axis))
      axis += 1
    }
    return out
  }

  /// A bool mask over axes `axis..<axis + mask.rank` as NumPy reads it: one integer array
  /// per mask axis, holding the coordinates of the true entries in C order.
  private static func maskItems(_ mask: Tensor, shape: [Int], axis: Int) throws -> [(Item, Int?)] {
    let indexed = Array(shape[axis..<(axis + mask.shape.count)])
    guard mask.shape == indexed else {
      throw TensorError("a bool index of shape \(mask.shape) does not match the indexed axes \(indexed) of a tensor of shape \(shape)")
    }
    var coordinates = [[Int]](repeating: [], count: mask.shape.count)
    var counter = [Int](repeating: 0, count: mask.shape.count)
    for flat in 0..<mask.count {
      if mask[flat: flat] != 0 {
        for (k, c) in counter.enumerated() { coordinates[k].append(c) }
      }
      MultiIndex.advance(&counter, within: mask.shape)
    }
    return coordinates.enumerated().map { k, values in (.array(shape: [values.count], values: values), axis + k) }
  }

  /// Python's `slice.indices`: clamps start/stop for the step's direction.
  static func sliceRange(_ start: Int?, _ stop: Int?, _ step: Int, size n: Int) -> StrideRange {
    func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { min(max(v, lo), hi) }
    let lo: Int
    let hi: Int
    if step > 0 {
      lo = start.map { clamp($0 < 0 ? $0 + n : $0, 0, n) } ?? 0
      hi = stop.map { clamp($0 < 0 ? $0 + n : $0, 0, n) } ?? n
      return StrideRange(start: lo, count: hi > lo ? (hi - lo + step - 1) / step : 0, step: step)
    }
    lo = start.map { clamp($0 < 0 ? $0 + n : $0, -1, n - 1) } ?? n - 1
    hi = stop.map { clamp($0 < 0 ? $0 + n : $0, -1, n - 1) } ?? -1
    return StrideRange(start: lo, count: lo > hi ? (lo - hi - step - 1) / (-step) : 0, step: step)
  }

  /// The output shape and flat source index of every output element.
  private func gatherIndices(_ items: [(Item, Int?)], shape: [Int]) throws -> ([Int], [Int]) {
    let strides = Broadcast.contiguousStrides(shape)
    if let picked = Self.arraysOnEveryAxis(items, strides: strides) { return picked }
    let hasArray = items.contains { if case .array = $0.0 { return true } else { return false } }
    // Output dimensions: basic ones in order; with arrays, integers join the advanced group.
    enum Dim { case basic(Int, StrideRange?), advanced }
    var dims: [Dim] = []
    var advancedPositions: [Int] = []
    var advancedShape: [Int] = []
    for (k, (item, _)) in items.enumerated() {
      switch item {
      case .range(let r): dims.append(.basic(k, r))
      case .newAxis: dims.append(.basic(k, nil))
      case .integer:
        if hasArray { advancedPositions.append(k) }
      case .array(let s, _):
        advancedPositions.append(k)
        advancedShape = try Broadcast.shape(advancedShape, s)
      }
    }
    if !advancedPositions.isEmpty {
      let contiguous = advancedPositions.last.map { $0 - advancedPositions[0] + 1 == advancedPositions.count } ?? true
      let insertAt = contiguous ? dims.filter { if case .basic(let k, _) = $0 { return k < advancedPositions[0] } else { return false } }.count : 0
      dims.insert(.advanced, at: insertAt)
    }
    var outShape: [Int] = []
    for d in dims {
      switch d {
      case .basic(_, let r): outShape.append(r?.count ?? 1)
      case .advanced: outShape += advancedShape
      }
    }
    let total = try Tensor.elementCount(outShape)
    var base = 0
    for (item, axis) in items {
      if case .integer(let i) = item, !hasArray, let axis { base += i * strides[axis] }
    }
    var result = [Int](repeating: 0, count: total)
    var counter = [Int](repeating: 0, count: outShape.count)
    for flat in 0..<total {
      var offset = base
      var pos = 0
      for d in dims {
        switch d {
        case .basic(let k, let r):
          if let r, let axis = items[k].1 { offset += (r.start + r.step * counter[pos]) * strides[axis] }
          pos += 1
        case .advanced:
          let idx = counter[pos..<(pos + advancedShape.count)]
          for k in advancedPositions {
            guard let axis = items[k].1 else { continue }
            switch items[k].0 {
            case .integer(let i): offset += i * strides[axis]
            case .array(let s, let values): offset += values[Self.broadcastFlat(idx, from: advancedShape, to: s)] * strides[axis]
            default: break
            }
          }
          pos += advancedShape.count
        }
      }
      result[flat] = offset
      MultiIndex.advance(&counter, within: outShape)
    }
    return (outShape, result)
  }

  /// `x[a, b, …]` with an integer array of one shape on every axis (`logp[arange(n), t]`):
  /// that shape, and each element's position, summed array by array; nil for other items.
  private static func arraysOnEveryAxis(_ items: [(Item, Int?)], strides: [Int]) -> ([Int], [Int])? {
    guard case .array(let shape, let first)? = items.first?.0, items.count == strides.count else { return nil }
    var positions = [Int](repeating: 0, count: first.count)
    for (axis, (item, _)) in items.enumerated() {
      guard case .array(let s, let values) = item, s == shape else { return nil }
      let stride = strides[axis]
      for i in positions.indices { positions[i] &+= values[i] &* stride }
    }
    return (shape, positions)
  }

  /// The flat position in a tensor of `shape` that a broadcast multi-index reads.
  private static func broadcastFlat(_ idx: ArraySlice<Int>, from full: [Int], to shape: [Int]) -> Int {
    var flat = 0
    let lead = idx.startIndex + full.count - shape.count
    for (i, d) in shape.enumerated() { flat = flat * d + (d == 1 ? 0 : idx[lead + i]) }
    return flat
  }
}
