/// The named constants `pi inf nan`: weak float64 numbers, like literals, so `pi` keeps
/// its float64 value until it meets a tensor and then adopts that tensor's dtype.
extension Builtins {
  /// Each constant's name, value and help text.
  static let constants: [(name: String, value: Double, doc: String)] = [
    ("pi", .pi, "pi: the number π = 3.141592653589793, a number like a literal (float64 until it meets a tensor)."),
    ("inf", .infinity, "inf: positive infinity (-inf is negative infinity), a number like a literal."),
    ("nan", .nan, "nan: not a number, a number like a literal; nan == nan is false, as in IEEE 754."),
  ]

  /// Binds every constant in `scope` (the prelude's scope: user code may rebind the names).
  static func defineConstants(in scope: Environment) {
    for c in constants {
      scope.define(c.name, .tensor(Node(constant: Tensor(scalar: c.value, dtype: .float64), isWeak: true)))
    }
  }

  /// The help text of a constant, given as its value (`help(pi)`) or its name (`help("pi")`),
  /// or nil when `v` is neither.
  static func constantHelp(_ v: RuntimeValue, in scope: Environment) -> String? {
    for c in constants {
      guard case .tensor(let bound)? = scope.lookup(c.name) else { continue }
      switch v {
      case .tensor(let n) where n === bound: return c.doc
      case .string(let s) where s == c.name: return c.doc
      default: continue
      }
    }
    return nil
  }
}
