/// `randperm`: a random permutation from LossLang's own generator (a Fisher–Yates shuffle,
/// so the same seed gives the same permutation on every platform; torch's differ).
extension Builtins {
  static func registerPermutation(in r: Registry) {
    r.builtin("randperm", ["n", "*", "seed=none"], category: "creation",
              doc: "randperm(n, seed=none): a random permutation of 0…n-1 as whole-number float32s; the same seed gives the same permutation on every platform.") { a in
      let n = try a.int(0)
      guard n >= 0 else { throw a.error(0, "must be non-negative, got \(n)") }
      try a.tracer.checkSize([n], .float64)
      var order: [Int] = []
      try a.withGenerator(seedIndex: 1) { g in order = g.permutation(n) }
      return .tensor(a.tracer.constant(try Tensor(order.map(Double.init), shape: [n], dtype: .float32)))
    }
  }
}
