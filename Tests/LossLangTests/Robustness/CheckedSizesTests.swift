import Foundation
import Testing

@testable import LossLang

/// Sizes, counts and shapes that overflow or are not finite give clear errors, never a
/// trap: each case once trapped (an overflowing multiplication, `Int(-inf)`) or failed
/// later with "internal error".
@Suite struct CheckedSizesTests {
  /// Sources that trapped, with the message each now fails with (exit status 70). Run
  /// through the CLI, so a trap coming back fails the test instead of killing the runner.
  static let cases: [(String, String)] = [
    ("reshape(ones([1]), [4294967296, 4294967296])",
     "cannot reshape a tensor of shape [1] into shape [4294967296, 4294967296]"),
    ("reshape(ones([1]), [4294967296, 4294967296, -1])",
     "cannot reshape a tensor of shape [1] into shape [4294967296, 4294967296, -1]"),
    ("sum(zeros(0, 8e15, 1) + zeros(0, 1, 8e15), 0)",
     "cannot allocate a tensor of shape [0, 8000000000000000, 8000000000000000]: too large"),
    ("sum(where(zeros(0, 8e15, 1) > 0, 1, zeros(0, 1, 8e15)), 0)",
     "cannot allocate a tensor of shape [0, 8000000000000000, 8000000000000000]: too large"),
    ("flatten(zeros(0, 8e15, 8e15))",
     "cannot allocate a tensor of shape [0, 8000000000000000, 8000000000000000]: too large"),
    ("arange(0, 1e308, 1e-300)", "argument 'stop' gives too many values (inf)"),
  ]

  @Test(.tags(.spawnsProcess), arguments: cases)
  func overflowingSizesAreErrors(_ source: String, _ message: String) throws {
    for flags in [[], ["--sandbox"]] {
      let r = try runLossLang(flags + ["-e", source])
      #expect(r.status == 70, "\(flags) \(source): \(r.stderr)")
      #expect(r.stderr.contains(message), "\(flags) \(source): \(r.stderr)")
    }
  }

  /// A step against the direction from start to stop gives no values, as NumPy's
  /// `arange(10, 0, 1)` does, also when the distance overflows to -inf.
  @Test(.tags(.spawnsProcess), arguments: ["arange(1e308, -1e308, 1)", "arange(10, 0, 1e-300)", "arange(-1e308, 1e308, -1)"])
  func arangeAgainstTheStepIsEmpty(_ source: String) throws {
    let r = try runLossLang(["-e", "shape(\(source))"])
    #expect(r.status == 0, "\(source): \(r.stderr)")
    #expect(r.stdout == "[0]\n", "\(source)")
  }

  /// (declared shape, the message `compile` throws).
  static let badTypes: [([Int], String)] = [
    ([1 << 40, 1 << 40],
     "compiled loss: input 'x' cannot be float32[1099511627776, 1099511627776]: cannot allocate a tensor of shape [1099511627776, 1099511627776]: too large"),
    ([-3], "compiled loss: input 'x' cannot be float32[-3]: negative dimension -3 in shape [-3]"),
    ([0, 1 << 40, 1 << 40],
     "compiled loss: input 'x' cannot be float32[0, 1099511627776, 1099511627776]: cannot allocate a tensor of shape [0, 1099511627776, 1099511627776]: too large"),
  ]

  @Test(arguments: badTypes)
  func compileRejectsImpossibleTypes(_ shape: [Int], _ message: String) throws {
    let interp = try Interpreter(loadPrelude: false)
    #expect {
      _ = try interp.compile("sum(x)", inputs: ["x": TensorType(shape: shape)])
    } throws: { error in
      let e = error as? LossLangError
      return e?.kind == .runtime && e?.message == message
    }
  }

  @Test func compileAppliesTheElementLimit() throws {
    var options = Interpreter.Options()
    options.loadPrelude = false
    options.limits.maxTensorElements = 100
    let interp = try Interpreter(options: options)
    #expect {
      _ = try interp.compile("sum(x)", inputs: ["x": TensorType(shape: [10, 11])])
    } throws: { error in
      let e = error as? LossLangError
      return e?.kind == .limitExceeded
        && e?.message == "compiled loss: input 'x' cannot be float32[10, 11]: tensor size limit exceeded: shape [10, 11] has 110 elements, the limit is 100"
    }
    let loss = try interp.compile("sum(x)", inputs: ["x": TensorType(shape: [10, 10])])
    #expect(try loss.value(["x": Tensor([Double](repeating: 1, count: 100), shape: [10, 10])]).scalarValue == 100)
  }

  @Test func elementCountRejectsOverflowEvenWhenEmpty() throws {
    #expect(try Tensor.elementCount([0, 1 << 40]) == 0)
    #expect(try Tensor.elementCount([3, 1 << 40]) == 3 << 40)
    #expect(throws: TensorError.self) { try Tensor.elementCount([0, 1 << 40, 1 << 40]) }
    #expect(throws: TensorError.self) { try Tensor.elementCount([1 << 40, 1 << 40]) }
    #expect(throws: TensorError.self) { try Tensor.elementCount([2, -1]) }
  }
}
