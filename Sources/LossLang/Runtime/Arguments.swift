/// The arguments of one builtin call, bound to its parameters, with typed accessors
/// whose errors name the function and the parameter.
struct Arguments {
  /// The function being called.
  let function: Function
  /// One value per parameter (a variadic parameter holds a `.list`).
  var values: [RuntimeValue]
  /// The interpreter running the call.
  let evaluator: Evaluator

  /// The tracer that records nodes.
  var tracer: Tracer { evaluator.tracer }

  private func name(_ i: Int) -> String { function.parameters[i].name }

  /// An error naming the function and parameter.
  func error(_ i: Int, _ message: String) -> LossLangError {
    LossLangError(.runtime, "\(function.name): argument '\(name(i))' \(message)")
  }

  /// Whether the argument is `none`.
  func isNone(_ i: Int) -> Bool {
    if case .none = values[i] { return true }
    return false
  }

  /// The argument as a tensor (numbers, bools and lists of numbers convert).
  func tensor(_ i: Int) throws -> Node {
    if let n = try evaluator.tensorValue(values[i]) { return n }
    throw error(i, "must be a tensor, got \(values[i].typeName)")
  }

  /// The argument as a tensor, or nil when it is `none`.
  func optionalTensor(_ i: Int) throws -> Node? { isNone(i) ? nil : try tensor(i) }

  /// The argument as a number (a one-element tensor).
  func double(_ i: Int) throws -> Double {
    if case .bool(let b) = values[i] { return b ? 1 : 0 }
    guard let n = try evaluator.tensorValue(values[i]), n.count == 1 else {
      throw error(i, "must be a number, got \(values[i].typeName)")
    }
    return try evaluator.scalar(n)
  }

  /// The argument as a whole number.
  func int(_ i: Int) throws -> Int {
    let d = try double(i)
    guard d.rounded() == d, abs(d) < 9e15 else { throw error(i, "must be a whole number, got \(d)") }
    return Int(d)
  }

  /// The argument as a whole number, or nil when it is `none`.
  func optionalInt(_ i: Int) throws -> Int? { isNone(i) ? nil : try int(i) }

  /// The argument as a Bool (`true`/`false` or a one-element tensor).
  func bool(_ i: Int) throws -> Bool {
    if case .bool(let b) = values[i] { return b }
    return try double(i) != 0
  }

  /// The argument as a string.
  func string(_ i: Int) throws -> String {
    guard case .string(let s) = values[i] else { throw error(i, "must be a string, got \(values[i].typeName)") }
    return s
  }

  /// The argument as a function.
  func function(_ i: Int) throws -> Function {
    guard case .function(let f) = values[i] else { throw error(i, "must be a function, got \(values[i].typeName)") }
    return f
  }

  /// The argument as a list of values (a tensor splits along its first axis).
  func list(_ i: Int) throws -> [RuntimeValue] {
    switch values[i] {
    case .list(let items): return items
    case .tensor(let n) where !n.shape.isEmpty: return try evaluator.unstack(n)
    default: throw error(i, "must be a list, got \(values[i].typeName)")
    }
  }

  /// Whole numbers from a number, a list of numbers or a tensor of rank ≤ 1.
  func wholeNumbers(_ i: Int) throws -> [Int] {
    let items: [Double]
    switch values[i] {
    case .list(let vs):
      items = try vs.map { v -> Double in
        guard let n = try evaluator.tensorValue(v), n.count == 1 else { throw error(i, "must hold whole numbers") }
        return try evaluator.scalar(n)
      }
    default:
      guard let n = try evaluator.tensorValue(values[i]), n.shape.count <= 1 else {
        throw error(i, "must be a number or a list of numbers, got \(values[i].typeName)")
      }
      items = try evaluator.materialize(n).scalars
    }
    return try items.map { d in
      guard d.rounded() == d, abs(d) < 9e15 else { throw error(i, "must hold whole numbers, got \(TensorFormatter.number(d))") }
      return Int(d)
    }
  }

  /// A shape: a number or a list/tensor of whole non-negative sizes (`-1` allowed for reshape).
  func shape(_ i: Int) throws -> [Int] {
    let dims = try wholeNumbers(i)
    if let bad = dims.first(where: { $0 < -1 }) { throw error(i, "has a negative size \(bad)") }
    return dims
  }

  /// A new tensor's shape from a creation function's variadic parameter, as PyTorch takes
  /// it: sizes (`zeros(2, 3)`) or one number or list (`zeros([2, 3])`, `zeros(shape(x))`).
  func sizes(_ i: Int) throws -> [Int] {
    guard case .list(let args) = values[i], !args.isEmpty else {
      throw LossLangError(.runtime, "\(function.name)() missing required argument '\(name(i))'")
    }
    var given = self
    if args.count == 1 {
      given.values[i] = args[0]
    } else if let bad = args.first(where: { if case .tensor(let n) = $0, n.shape.isEmpty { false } else { true } }) {
      throw error(i, "must be sizes or one list of sizes, got a \(bad.typeName) among several sizes")
    }
    return try given.newShape(i)
  }

  /// A new tensor's shape: a number or a list/tensor of whole non-negative sizes.
  func newShape(_ i: Int) throws -> [Int] {
    let dims = try wholeNumbers(i)
    if let bad = dims.first(where: { $0 < 0 }) { throw error(i, "has a negative size \(bad)") }
    return dims
  }

  /// Normalized, sorted, unique axes for a tensor of rank `rank`; nil when the argument is `none`.
  func axes(_ i: Int, rank: Int) throws -> [Int]? {
    if isNone(i) { return nil }
    var out: [Int] = []
    for a in try wholeNumbers(i) {
      let axis = a < 0 ? a + rank : a
      guard axis >= 0, axis < max(rank, 1) else {
        throw error(i, "axis \(a) is out of range for a tensor with \(rank) dimensions")
      }
      guard !out.contains(axis) else { throw error(i, "axis \(a) is repeated") }
      out.append(axis)
    }
    return rank == 0 ? [] : out.sorted()
  }

  /// One normalized axis in `0..<rank`.
  func axis(_ i: Int, rank: Int) throws -> Int {
    let a = try int(i)
    let axis = a < 0 ? a + rank : a
    guard axis >= 0, axis < rank else { throw error(i, "axis \(a) is out of range for a tensor with \(rank) dimensions") }
    return axis
  }

  /// A dtype: its name ("float32", "float64") or the conversion function of that name.
  func dtype(_ i: Int) throws -> DType {
    if case .function(let f) = values[i], let d = DType(rawValue: f.name) { return d }
    let s = try string(i)
    guard let d = DType(rawValue: s) else { throw error(i, "must be \"float32\", \"float64\" or \"bool\", got \"\(s)\"") }
    return d
  }
}
