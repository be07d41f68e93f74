/// Creation builtins: `zeros ones full arange linspace eye zeros_like ones_like rand randn
/// randint tensor float32 float64`. Shapes are given PyTorch-style; `seed=` and `dtype=` are
/// keyword-only.
extension Builtins {
  static func registerCreation(in r: Registry) {
    for (name, fill) in [("zeros", 0.0), ("ones", 1.0)] {
      r.builtin(name, ["shape...", "dtype=\"float32\""], category: "creation",
                doc: "\(name)(shape..., dtype=\"float32\"): a tensor of \(name); the shape is given as sizes, \(name)(2, 3), or as one list, \(name)([2, 3]).") { a in
        let shape = try a.sizes(0)
        try a.tracer.checkSize(shape, try a.dtype(1))
        return .tensor(a.tracer.constant(try Tensor.full(shape, value: fill, dtype: a.dtype(1))))
      }
      r.builtin("\(name)_like", ["x"], category: "creation", doc: "\(name)_like(x): \(name) with x's shape and dtype.") { a in
        let x = try a.tensor(0)
        return .tensor(a.tracer.constant(try Tensor.full(x.shape, value: fill, dtype: x.dtype)))
      }
    }
    r.builtin("full", ["shape", "value", "*", "dtype=\"float32\""], category: "creation",
              doc: "full(shape, value, *, dtype=\"float32\"): a tensor filled with value; shape is a number or a list.") { a in
      let shape = try a.newShape(0)
      try a.tracer.checkSize(shape, try a.dtype(2))
      return .tensor(a.tracer.constant(try Tensor.full(shape, value: a.double(1), dtype: a.dtype(2))))
    }
    r.builtin("arange", ["start", "stop=none", "step=1", "*", "dtype=\"float32\""], category: "creation",
              doc: "arange(start, stop=none, step=1, *, dtype=\"float32\"): start, start+step, … below stop; arange(n) is 0…n-1.") { a in
      var start = try a.double(0)
      var stop = start
      if a.isNone(1) { start = 0 } else { stop = try a.double(1) }
      let step = try a.double(2)
      guard step != 0, step.isFinite, start.isFinite, stop.isFinite else { throw a.error(2, "must be finite and nonzero") }
      let steps = ((stop - start) / step).rounded(.up)
      guard steps < 1e12 else { throw a.error(1, "gives too many values (\(steps))") }
      // A step against the direction from start to stop gives no values (also when the
      // distance overflows to -inf): checked before the conversion, which traps on -inf.
      let count = steps > 0 ? Int(steps) : 0
      try a.tracer.checkSize([count], .float64)
      return .tensor(a.tracer.constant(try Tensor((0..<count).map { start + Double($0) * step }, shape: [count], dtype: a.dtype(3))))
    }
    r.builtin("linspace", ["start", "stop", "num=50", "*", "dtype=\"float32\""], category: "creation",
              doc: "linspace(start, stop, num=50, *, dtype=\"float32\"): num evenly spaced values from start to stop inclusive.") { a in
      let start = try a.double(0), stop = try a.double(1), num = try a.int(2)
      guard num >= 0 else { throw a.error(2, "must be non-negative") }
      try a.tracer.checkSize([num], .float64)
      let step = num > 1 ? (stop - start) / Double(num - 1) : 0
      // Like torch.linspace: the second half is computed from the end for symmetry.
      let values = (0..<num).map { i in i < num / 2 ? start + step * Double(i) : stop - step * Double(num - 1 - i) }
      return .tensor(a.tracer.constant(try Tensor(values, shape: [num], dtype: a.dtype(3))))
    }
    r.builtin("eye", ["n", "m=none", "*", "dtype=\"float32\""], category: "creation",
              doc: "eye(n, m=none, *, dtype=\"float32\"): an n×m matrix (m = n by default) with ones on the diagonal.") { a in
      let n = try a.int(0)
      let m = try a.optionalInt(1) ?? n
      try a.tracer.checkSize([n, m], try a.dtype(2))
      let t = try Tensor.full([n, m], value: 0, dtype: a.dtype(2))
      for i in 0..<min(n, m) { t[flat: i * m + i] = 1 }
      return .tensor(a.tracer.constant(t))
    }
    registerRandom(in: r)
    r.builtin("tensor", ["data", "*", "dtype=\"float32\""], category: "creation",
              doc: "tensor(data, *, dtype=\"float32\"): a tensor from a number, a Bool or a (nested) list of them.") { a in
      a.values[0] = boolsAsTensors(a.values[0], a.tracer)
      return .tensor(try a.tracer.cast(a.tensor(0), to: a.dtype(1)).strong(a.tracer))
    }
    for dtype in DType.allCases {
      let rule = dtype == .bool ? " (nonzero is true)" : ""
      r.builtin(dtype.rawValue, ["x"], category: "creation", doc: "\(dtype.rawValue)(x): x converted to \(dtype.rawValue)\(rule).") { a in
        .tensor(try a.tracer.cast(a.tensor(0), to: dtype).strong(a.tracer))
      }
    }
  }

  private static func registerRandom(in r: Registry) {
    let kinds: [(String, String, (inout RandomGenerator) -> Double)] = [
      ("rand", "uniform in [0, 1)", { $0.nextUniform() }),
      ("randn", "standard normal", { $0.nextNormal() }),
    ]
    for (name, what, draw) in kinds {
      r.builtin(name, ["shape...", "seed=none", "dtype=\"float32\""], category: "creation",
                doc: "\(name)(shape..., seed=none, dtype=\"float32\"): \(what) samples; the shape is given as sizes, \(name)(2, 3), or as one list, \(name)([2, 3]); the same seed gives the same numbers on every platform.") { a in
        let shape = try a.sizes(0)
        try a.tracer.checkSize(shape, .float64)
        let count = try Tensor.elementCount(shape)
        var values = [Double](repeating: 0, count: count)
        try a.withGenerator(seedIndex: 1) { g in for i in 0..<count { values[i] = draw(&g) } }
        return .tensor(a.tracer.constant(try Tensor(values, shape: shape, dtype: a.dtype(2))))
      }
    }
    r.builtin("randint", ["low", "high=none", "shape=none", "*", "seed=none", "dtype=\"float32\""], category: "creation",
              doc: "randint(low, high, shape, *, seed=none, dtype=\"float32\"): whole numbers uniform in [low, high), as floats; randint(high, shape) draws from [0, high), as in PyTorch.") { a in
      let (low, high, shape) = try a.randintBounds()
      try a.tracer.checkSize(shape, .float64)
      let count = try Tensor.elementCount(shape)
      var values = [Double](repeating: 0, count: count)
      try a.withGenerator(seedIndex: 3) { g in for i in 0..<count { values[i] = Double(low + g.nextInt(below: high - low)) } }
      return .tensor(a.tracer.constant(try Tensor(values, shape: shape, dtype: a.dtype(4))))
    }
  }
}

extension Builtins {
  /// `data` with every Bool (also inside nested lists) as a 0-d bool tensor, so that
  /// `tensor([true, false], dtype="bool")` stacks like a list of numbers.
  private static func boolsAsTensors(_ data: RuntimeValue, _ t: Tracer) -> RuntimeValue {
    switch data {
    case .bool(let b): .tensor(t.bool(b))
    case .list(let items): .list(items.map { boolsAsTensors($0, t) })
    default: data
    }
  }
}

extension Arguments {
  /// `randint`'s low, high and shape: `randint(low, high, shape)` or `randint(high, shape)`.
  fileprivate func randintBounds() throws -> (low: Int, high: Int, shape: [Int]) {
    var low = 0
    let high: Int, shape: [Int]
    if isNone(2) {
      let highIsShape: Bool
      switch values[1] {
      case .list: highIsShape = true
      case .tensor(let n): highIsShape = n.shape.count == 1
      default: highIsShape = false
      }
      guard highIsShape else { throw LossLangError(.runtime, "randint() missing required argument 'shape'") }
      high = try int(0)
      shape = try newShape(1)
    } else {
      low = try int(0)
      high = try int(1)
      shape = try newShape(2)
    }
    guard high > low else { throw error(1, "must be greater than low (\(low))") }
    return (low, high, shape)
  }

  /// Runs `body` with a generator seeded by argument `seedIndex`, or the interpreter's stream.
  func withGenerator(seedIndex: Int, _ body: (inout RandomGenerator) throws -> Void) throws {
    if isNone(seedIndex) {
      try body(&evaluator.random)
    } else {
      var g = RandomGenerator(seed: UInt64(bitPattern: Int64(try int(seedIndex))))
      try body(&g)
    }
  }
}

extension Node {
  /// This value as a strong (non-literal) tensor: a weak number becomes a real float tensor,
  /// and a written-out literal forgets its float64 values (it has met a dtype).
  func strong(_ t: Tracer) throws -> Node {
    if exactValues != nil { return recordedCast(to: dtype, t) }
    guard isWeak else { return self }
    guard let v = value else { return try t.reshape(self, shape).recordedCast(to: dtype, t) }
    return t.constant(v)
  }

  /// This value converted to `dtype` by a recorded (never folded) cast node: a strong value
  /// that gradients reach this node through.
  func recordedCast(to dtype: DType, _ t: Tracer) -> Node {
    Node(op: .cast(dtype), inputs: [self], shape: shape, dtype: dtype, span: t.span)
  }
}
