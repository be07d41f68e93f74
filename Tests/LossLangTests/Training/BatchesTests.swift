import Foundation
import Testing

@testable import LossLang

/// `batches`: every row once per call, the same rows in every tensor of a tree, the order
/// of `randperm` for a seed (rows from scripts/rng_reference.py via the fixture file),
/// `shuffle=false`, `drop_last`, gradients through a batch, and the argument errors.
@Suite struct BatchesTests {
  /// Twenty rows: x[i] = [i, 100 + i], y[i] = -i, so a batch's rows can be read off its values.
  static let data = "x = float64(stack([arange(20), arange(20) + 100], 1))\ny = -float64(arange(20))\n"

  /// The value of `source` after `data`.
  func value(_ source: String, in interp: Interpreter? = nil) throws -> Value {
    try (interp ?? Interpreter()).run(Self.data + source)
  }

  /// The rows each batch of `[x, y]` holds, read from x, after checking y holds the same rows.
  func rows(_ batchesCall: String) throws -> [[Int]] {
    guard case .list(let items) = try value(batchesCall) else { throw TrainingTestFailure("not a list") }
    return try items.map { item in
      guard case .list(let pair) = item, pair.count == 2,
        let xb = pair[0].tensor, let yb = pair[1].tensor
      else { throw TrainingTestFailure("a batch is not [xb, yb]: \(item)") }
      let rows = (0..<xb.shape[0]).map { Int(xb[flat: 2 * $0]) }
      #expect(xb.shape == [rows.count, 2] && yb.shape == [rows.count])
      #expect(rows.indices.allSatisfy { xb[flat: 2 * $0 + 1] == Double(rows[$0] + 100) && yb[flat: $0] == -Double(rows[$0]) })
      return rows
    }
  }

  @Test(arguments: TrainingFixtures.loaded.batches)
  func aSeedGivesRandpermsOrder(_ c: TrainingFixtures.Batches) throws {
    let got = try rows("batches([x, y], \(c.batchSize), seed=\(c.seed), drop_last=\(c.dropLast))")
    #expect(got == c.rows)
  }

  @Test func theFixtureHasCases() {
    #expect(TrainingFixtures.loaded.batches.count == 3)
  }

  @Test func everyRowOnceForAnyBatchSize() throws {
    for size in [1, 3, 7, 19, 20, 21, 64] {
      let got = try rows("batches([x, y], \(size))")
      #expect(got.flatMap { $0 }.sorted() == Array(0..<20), "batch size \(size)")
      #expect(got.dropLast().allSatisfy { $0.count == size } && got.count == (20 + size - 1) / size)
    }
  }

  @Test func shuffleFalseKeepsTheOrderAndDropLastDropsTheShortBatch() throws {
    #expect(try rows("batches([x, y], 8, shuffle=false)") == [Array(0..<8), Array(8..<16), Array(16..<20)])
    #expect(try rows("batches([x, y], 8, shuffle=false, drop_last=true)") == [Array(0..<8), Array(8..<16)])
    #expect(try rows("batches([x, y], 30, drop_last=true)") == [])
    #expect(try rows("batches([x, y], 5, drop_last=true)").count == 4)
  }

  @Test func aSeedRepeatsAndNoSeedDrawsFromTheInterpretersStream() throws {
    #expect(try rows("batches([x, y], 6, seed=4)") == rows("batches([x, y], 6, seed=4)"))
    #expect(try rows("batches([x, y], 6, seed=4)") != rows("batches([x, y], 6, seed=5)"))
    let interp = try Interpreter()
    let first = try value("batches(x, 20)[0]", in: interp).tensor?.scalars
    let second = try value("batches(x, 20)[0]", in: interp).tensor?.scalars
    #expect(first != nil && first != second, "each call without seed= shuffles anew")
  }

  @Test func aDictTreeKeepsItsStructure() throws {
    let v = try value(#"b = batches({"in": x, "out": {"t": y}}, 16, shuffle=false); [b[1]["in"], b[1]["out"]["t"]]"#)
    guard case .list(let pair) = v, let xb = pair[0].tensor, let yb = pair[1].tensor else {
      Issue.record("\(v)")
      return
    }
    #expect(xb.shape == [4, 2] && xb.scalars == [16, 116, 17, 117, 18, 118, 19, 119])
    #expect(yb.scalars == [-16, -17, -18, -19])
  }

  /// A batch is gathered from the data, so gradients reach the rows it took (twice: the
  /// rows of both batches).
  @Test func gradientsFlowBackThroughABatch() throws {
    let g = try value("b = batches(x, 7, seed=1)\nloss = sum(b[0]) + 2 * sum(b[2])\ngrad(loss, x)")
    let rows = try self.rows("batches([x, y], 7, seed=1)")
    let grad = try #require(g.tensor)
    for r in 0..<20 {
      let want: Double = rows[0].contains(r) ? 1 : rows[2].contains(r) ? 2 : 0
      #expect(grad[flat: 2 * r] == want && grad[flat: 2 * r + 1] == want, "row \(r)")
    }
  }

  @Test func aTensorOfNoRowsGivesNoBatches() throws {
    guard case .list(let items) = try value("batches(zeros(0, 3), 4)") else {
      Issue.record("not a list")
      return
    }
    #expect(items.isEmpty)
  }

  @Test(arguments: [
    ("batches([x, y[0:19]], 4)",
     "batches: argument 'tree' must hold tensors of the same length along axis 0, but [0] has 20 rows and [1] has 19"),
    (#"batches({"a": x, "b": 1.5}, 4)"#,
     #"batches: argument 'tree' must hold tensors with a first axis to batch along, got a 0-d tensor at ["b"]"#),
    ("batches(x, 0)", "batches: argument 'batch_size' must be at least 1, got 0"),
    ("batches(x, 2.5)", "batches: argument 'batch_size' must be a whole number, got 2.5"),
    ("batches({}, 4)", "batches: argument 'tree' must hold at least one tensor, got an empty dict"),
    (#"batches([x, "y"], 4)"#, "batches: argument 'tree' must be a tensor or a list or dict of tensors, got string at [1]"),
  ])
  func badArgumentsAreClearErrors(_ source: String, _ message: String) throws {
    let interp = try Interpreter()
    try interp.run(Self.data)
    let error = try #require(throws: LossLangError.self) { try interp.run(source, path: "b.loss") }
    #expect(error.message == message)
    #expect(error.diagnostics.first?.span?.line == 1)
  }
}
