import Testing

@testable import LossLang

/// The interpreter's per-call fast paths keep the meaning of the slow ones: scopes, graph
/// walks, shared literal tensors, stacking, and assertions that skip their message.
@Suite struct CallPathTests {
  /// The message of the error `source` raises, or nil.
  func error(_ source: String, options: Interpreter.Options = Interpreter.Options()) -> String? {
    do { _ = try printedOutput(source, options: options) } catch let e as LossLangError { return e.message } catch { return "\(error)" }
    return nil
  }

  @Test func scopesOfManyNamesBindRebindAndShadow() throws {
    // 30 globals (past the hash-index threshold), rebinding, and a function scope shadowing them.
    var source = (0..<30).map { "v\($0) = \($0)" }.joined(separator: "\n")
    source += "\nv3 = 100\ndef f(v5, v6=7) { v7 = v5 + v6\n v0 + v3 + v7 }\nprint(f(1), v5, v7, f(2, v6=1))"
    #expect(try printedOutput(source) == "108 5 7 103\n")
  }

  @Test func nodeIndexAgreesWithADictionary() {
    let nodes = (0..<500).map { Node(constant: Tensor(scalar: Double($0))) }
    var index = NodeIndex(capacity: 4)
    var reference: [ObjectIdentifier: Int] = [:]
    for (i, n) in nodes.enumerated() where i % 3 != 0 {
      index.set(n, i)
      reference[ObjectIdentifier(n)] = i
    }
    for n in nodes.prefix(100) { index.set(n, -1) }
    for n in nodes.prefix(100) { reference[ObjectIdentifier(n)] = -1 }
    #expect(index.count == reference.count)
    for n in nodes {
      #expect(index[n] == reference[ObjectIdentifier(n)])
      #expect(index.contains(n) == (reference[ObjectIdentifier(n)] != nil))
    }
  }

  @Test func equalLiteralsAreStillDistinctValues() throws {
    // Literal nodes share tensors, never identity: a gradient follows one of them.
    #expect(try printedOutput("a = 2.0\nb = 2.0\nprint(grad(a * b, a), grad(a * a, a), a + b)") == "2.0 4.0 4\n")
    #expect(try printedOutput("x = [1.0, 2.0]\nprint(float32(0.1) == 0.1, sum(x * 0.1), float64(0.1) + 0.2)") == "true 0.3 0.30000000000000004\n")
  }

  @Test func listsStackOnlyWhenEveryLevelDoes() throws {
    #expect(try printedOutput("print(shape([[1, 2], [3, 4]]), [1, [2, 3]], [[1, 2], [3]])") == "[2, 2] [1, tensor([2., 3.])] [tensor([1., 2.]), tensor([3.])]\n")
    let x = "x = [1.0, 2.0, 3.0]\ny = sum(x * x)\n"
    #expect(try printedOutput(x + "print([y, grad(y, [x, x])])") == "[14.0, [tensor([2., 4., 6.]), tensor([2., 4., 6.])]]\n")
    // An inner list too large to stack is an error even though the outer list cannot stack.
    var options = Interpreter.Options()
    options.limits.maxTensorElements = 15
    #expect(error("z = [[zeros(10), zeros(10)], \"a\"]", options: options)?.contains("tensor size limit exceeded") == true)
  }

  @Test func aHoldingAssertionStillRunsAMessageWithEffects() throws {
    #expect(try printedOutput("def m() { print(\"side\")\n \"msg\" }\nassert(true, m())") == "side\n")
    #expect(try printedOutput("def str(x) { print(\"mine\")\n \"s\" }\nassert(true, \"x\" + str(1))") == "mine\n")
    #expect(error("assert(true, \"n: \" + 1)") == "cannot add string and number: use str(x) to convert")
    #expect(error("assert(true, \"n: \" + nope)") == "undefined name 'nope'")
  }

  @Test func aFailingAssertionBuildsItsMessage() throws {
    #expect(error("x = zeros([3, 2])\nok = false\nassert(ok, \"n: \" + str(shape(x)) + \" \" + str([\"a\", 1]))")
      == "assertion failed: n: [3, 2] [\"a\", 1]")
    #expect(error("mse_loss(zeros(3), zeros(4))") == "assertion failed: mse_loss: target has shape [4] but input has shape [3]")
    #expect(error("mse_loss(zeros(3), zeros(3), reduction=\"avg\")")
      == "assertion failed: mse_loss: reduction must be one of [\"mean\", \"sum\", \"none\"], got \"avg\"")
  }

  @Test func aSkippedMessageCountsItsSteps() throws {
    // The same program with a Bool condition (message skipped) and a tensor condition
    // (message built) takes the same number of evaluation steps.
    let body = "x = zeros([3, 2])\nassert(ok, \"n: \" + str(shape(x)) + \" \" + str(x))\n"
    var counts: [Int] = []
    for condition in ["true", "1"] {
      let interp = try Interpreter()
      try interp.run("ok = \(condition)\n" + body)
      counts.append(interp.evaluator.steps)
    }
    #expect(counts[0] == counts[1])
    var options = Interpreter.Options()
    options.limits.maxSteps = counts[0] - 1
    #expect(error("ok = true\n" + body, options: options)?.contains("step limit exceeded") == true)
  }
}
