import Foundation
import Testing

@testable import LossLang

/// The ordering, scan, counting and list builtins beyond their PyTorch fixtures
/// (Fixtures/builtins_ordering.json): float64 gradchecks, NaN ordering, compiled losses, randperm against
/// scripts/rng_reference.py, argument errors, and the registry entries completion reads.
@Suite struct OrderingBuiltinsTests {
  /// Inputs without ties (sort is piecewise linear; a tie is a kink).
  static let preamble = """
    m = float64(reshape(sin(arange(12) * 1.9) * 2, [3, 4]))
    t = float64(reshape(cos(arange(24) * 0.7) * 1.5, [2, 3, 4]))
    """

  static let cases: [GradcheckCase] = [
    ("sort_values", "fn(x) => sum(sort(x)[0] * [0.3, -1.2, 0.7, 2.0])", "m"),
    ("sort_axis0_descending", "fn(x) => sum(sort(x, axis=0, descending=true)[0] * [[1.0], [-2.0], [0.5]])", "m"),
    ("topk_values", "fn(x) => sum(topk(x, 2, axis=1)[0] ^ 2)", "t"),
    ("topk_smallest", "fn(x) => sum(exp(topk(x, 3, largest=false)[0]))", "m"),
    ("cumsum_axis1", "fn(x) => sum(cumsum(x, 1) * sin(x))", "t"),
    ("cumsum_second_order", "fn(x) => sum(grad(sum(cumsum(x ^ 3, 0) * [[1.0], [0.5], [-1.0]]), x))", "m"),
    ("cumprod_axis1", "fn(x) => sum(cumprod(x, -1) * [0.4, -0.9, 1.3, 0.2])", "m"),
    ("cumprod_zeros", "fn(x) => sum(cumprod(x, 1) * [[1.0, -2.0, 0.5, 3.0, 1.5]])",
     "[[1.5, 0.0, 2.0, -1.0, 0.5], [0.0, 0.0, 1.5, 2.0, 1.0], [0.5, 2.0, 0.7, 3.0, 0.0]]"),
    ("cumprod_second_order", "fn(x) => sum(grad(sum(cumprod(x, 0) * [[1.0], [-0.5], [2.0]]), x) ^ 2)", "m"),
    ("cumprod_second_order_zeros", "fn(x) => sum(grad(sum(cumprod(x, 1) * [0.3, -1.0, 0.8]), x) * sin(x))",
     "[[1.5, 0.0, 2.0], [0.0, 0.0, 1.5], [0.5, 2.0, 0.0]]"),
  ]

  @Test(arguments: cases.map(\.name))
  func gradcheck(_ name: String) throws {
    try runGradcheck(name, in: Self.cases, preamble: Self.preamble)
  }

  /// The value of `source` as a tensor's scalars.
  private func scalars(_ source: String) throws -> [Double] {
    try #require(try Interpreter().run(source).tensor).scalars
  }

  @Test func nanSortsAsTheLargestValue() throws {
    let x = "x = log(float64([2.0, -1.0, 0.5, -3.0]))\n"
    let up = try scalars(x + "sort(x)[0]")
    #expect(Array(up.prefix(2)) == [log(0.5), log(2.0)] && up.suffix(2).allSatisfy(\.isNaN), "\(up)")
    let down = try scalars(x + "sort(x, descending=true)[0]")
    #expect(down.prefix(2).allSatisfy(\.isNaN) && Array(down.suffix(2)) == [log(2.0), log(0.5)], "\(down)")
    #expect(try scalars(x + "topk(x, 1)[1]") == [1])
  }

  /// The order is read from the input's values, so a compiled loss re-traces on every call
  /// instead of reusing the first call's order; a scan alone traces once.
  @Test func compiledLossesFollowNewData() throws {
    let interp = try Interpreter()
    let sorted = try interp.compile("sort(x)[0] * [1.0, 10.0, 100.0]", inputs: ["x": TensorType(shape: [3])])
    #expect(try sorted.value(["x": Tensor([3, 1, 2], shape: [3])]).scalars == [1, 20, 300])
    #expect(try sorted.value(["x": Tensor([1, 3, 2], shape: [3])]).scalars == [1, 20, 300])
    #expect(try sorted.value(["x": Tensor([5, 4, 6], shape: [3])]).scalars == [4, 50, 600])
    #expect(sorted.isRetracing)
    let scanned = try interp.compile("cumsum(x, 0)", inputs: ["x": TensorType(shape: [3])])
    #expect(try scanned.value(["x": Tensor([3, 1, 2], shape: [3])]).scalars == [3, 4, 6])
    #expect(try scanned.value(["x": Tensor([1, -1, 5], shape: [3])]).scalars == [1, 0, 5])
    #expect(!scanned.isRetracing && scanned.traceCount == 1)
  }

  /// Values from scripts/rng_reference.py (an independent implementation of the generator
  /// and of randperm's Fisher–Yates shuffle).
  @Test func randpermMatchesTheReferenceGenerator() throws {
    #expect(try scalars("randperm(10, seed=3)") == [9, 4, 8, 0, 7, 2, 3, 1, 5, 6])
    #expect(try scalars("randperm(12, seed=-1)") == [7, 0, 1, 10, 3, 2, 9, 4, 11, 5, 8, 6])
  }

  @Test func randpermIsAPermutationAndDeterministic() throws {
    let a = try scalars("randperm(1000, seed=5)")
    #expect(a.sorted() == (0..<1000).map(Double.init))
    #expect(try scalars("randperm(1000, seed=5)") == a)
    #expect(try scalars("randperm(1000, seed=6)") != a)
    let interp = try Interpreter()
    let first = try #require(try interp.run("randperm(50)").tensor).scalars
    let second = try #require(try interp.run("randperm(50)").tensor).scalars
    #expect(first != second, "without seed=, randperm draws from the interpreter's stream")
    #expect(try scalars("randperm(0)").isEmpty && (try scalars("randperm(1)")) == [0])
  }

  @Test(arguments: [
    ("topk([1.0, 2.0], 3)", "topk: argument 'k' must be between 0 and 2 (the size of axis 0), got 3"),
    ("sort(ones([2, 2]), axis=2)", "sort: argument 'axis' axis 2 is out of range for a tensor with 2 dimensions"),
    ("cumsum(ones([2]), -2)", "cumsum: argument 'axis' axis -2 is out of range for a tensor with 1 dimensions"),
    ("bincount([1.0, -1.0])", "bincount: argument 'x' must hold non-negative whole numbers, got -1.0"),
    ("bincount([0.5])", "bincount: argument 'x' must hold non-negative whole numbers, got 0.5"),
    ("bincount(ones([2, 2]))", "bincount: argument 'x' must be 1-D, got shape [2, 2]"),
    ("bincount([1.0], minlength=-1)", "bincount: argument 'minlength' must be non-negative, got -1"),
    ("histc([1.0], bins=0)", "histc: argument 'bins' must be at least 1, got 0"),
    ("histc([1.0], min=2, max=1)", "histc: max must be larger than min"),
    ("histc(log([-1.0, 1.0]))", "histc: range of [nan, nan] is not finite"),
    ("randperm(-1)", "randperm: argument 'n' must be non-negative, got -1"),
    ("append(\"ab\", 1)", "append: argument 'list' must be a list, got string"),
    ("extend([1, \"a\"], 2)", "extend: argument 'items' must be a list, got number"),
  ])
  func badArgumentsNameTheFunction(_ source: String, _ message: String) throws {
    let error = #expect(throws: LossLangError.self) { try Interpreter().run(source) }
    #expect(error?.message == message, "\(source): \(String(describing: error?.message))")
  }

  @Test func listsAreNewValues() throws {
    let interp = try Interpreter()
    let out = try interp.run("""
      a = [1, "x"]
      b = append(a, 3)
      c = extend(a, b)
      str([len(a), len(b), len(c), len(append([], a)), len("héllo"), len(zeros([4, 2]))])
      """)
    guard case .string(let text) = out else { Issue.record("expected a string, got \(out)"); return }
    #expect(text == "tensor([2., 3., 5., 1., 5., 4.])")
  }

  @Test func everyNewBuiltinIsRegisteredWithHelp() throws {
    let functions = Dictionary(uniqueKeysWithValues: try Interpreter().functions().map { ($0.name, $0) })
    let expected: [(String, String)] = [
      ("sort", "sort(x, axis=-1, descending=false)"), ("argsort", "argsort(x, axis=-1, descending=false)"),
      ("topk", "topk(x, k, axis=-1, largest=true)"), ("cumsum", "cumsum(x, axis)"), ("cumprod", "cumprod(x, axis)"),
      ("bincount", "bincount(x, minlength=0)"), ("histc", "histc(x, bins=100, min=0, max=0)"),
      ("append", "append(list, x)"), ("extend", "extend(list, items)"), ("len", "len(x)"),
      // randperm's seed becomes keyword-only ("randperm(n, *, seed=none)") where the
      // registry supports it; its parameters are the same either way.
      ("randperm", "randperm(n, seed=none)"),
    ]
    for (name, signature) in expected {
      let f = try #require(functions[name], "\(name) is not registered")
      #expect(f.signature.replacingOccurrences(of: "*, ", with: "") == signature)
      #expect(f.doc.hasPrefix(name + "("), "\(name): \(f.doc)")
      #expect(f.origin == .builtin)
    }
  }
}
