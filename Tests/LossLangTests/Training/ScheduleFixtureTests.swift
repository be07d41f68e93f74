import Foundation
import Testing

@testable import LossLang

/// One schedule case of `Fixtures/schedules.json` (from `scripts/make_schedule_fixtures.py`):
/// LossLang that makes the schedule, and the rate torch's scheduler (or, for warmup-cosine
/// and constant, the contract's formula in numpy) gives optimizer steps 1…N.
struct ScheduleFixture: Codable, Sendable {
  let name: String
  let expr: String
  let oracle: String
  let lrs: [Double]

  /// Every case of the fixture file.
  static let all: [ScheduleFixture] = (try? load()) ?? []

  static func load() throws -> [ScheduleFixture] {
    try JSONDecoder().decode([ScheduleFixture].self, from: Data(contentsOf: FixtureFile.url("schedules.json")))
  }
}

/// The learning-rate schedules of the prelude (stdlib/schedules.loss) against
/// torch.optim.lr_scheduler, their argument checks, and their help.
@Suite struct ScheduleFixtureTests {
  @Test func theFixtureFileCoversEverySchedule() throws {
    let cases = try ScheduleFixture.load()
    let kinds = Set(cases.map { String($0.name.prefix { $0 != "/" }) })
    #expect(kinds == ["constant", "step", "exponential", "cosine", "warmup_cosine", "linear", "one_cycle"])
    #expect(cases.allSatisfy { $0.lrs.count >= 2 })
  }

  /// lr(k) for k = 1…N equals the oracle's rate of the k-th optimizer step. Both sides are
  /// float64; torch updates the rate recursively, so the rounding differs slightly.
  @Test(arguments: ScheduleFixture.all.map(\.name))
  func rateOfEveryStepMatches(_ name: String) throws {
    let fixture = try #require(ScheduleFixture.all.first { $0.name == name })
    let interp = try Interpreter()
    try interp.run("__s = \(fixture.expr)")
    let scale = fixture.lrs.map(abs).max() ?? 1
    let tolerance = Tolerance(rtol: 1e-12, atol: 1e-14 * scale)
    var got: [Double] = []
    for k in 1...fixture.lrs.count {
      let value = try #require(try interp.run("__s(\(k))").tensor, "\(name): lr(\(k)) is not a number")
      try #require(value.count == 1, "\(name): lr(\(k)) has shape \(value.shape)")
      got.append(value[flat: 0])
    }
    #expect(tolerance.mismatch(got, fixture.lrs) == nil,
            "\(name) (\(fixture.expr)) vs \(fixture.oracle): \(tolerance.mismatch(got, fixture.lrs) ?? "")")
  }

  @Test(arguments: [
    ("step_schedule(0.1, 0)", "assertion failed: step_schedule: step_size must be positive, got 0"),
    ("cosine_schedule(0.1, -5)", "assertion failed: cosine_schedule: total must be positive, got -5"),
    ("linear_schedule(0.0, 0.1, 0)", "assertion failed: linear_schedule: steps must be positive, got 0"),
    ("one_cycle_schedule(0.1, 0)", "assertion failed: one_cycle_schedule: total must be positive, got 0"),
    ("one_cycle_schedule(0.1, 10, pct_start=1.5)",
     "assertion failed: one_cycle_schedule: pct_start must be between 0 and 1, got 1.5"),
    ("warmup_cosine_schedule(0.1, 10, 10)",
     "assertion failed: warmup_cosine_schedule: warmup must be less than total, got warmup=10 and total=10"),
    ("warmup_cosine_schedule(0.1, -1, 10)", "assertion failed: warmup_cosine_schedule: warmup must be non-negative, got -1"),
    ("one_cycle_schedule(0.1, 10)(12)", "assertion failed: one_cycle_schedule: step 12 is past the end of the cycle (total=10)"),
  ])
  func badArgumentsAreClearErrors(_ source: String, _ message: String) throws {
    let error = #expect(throws: LossLangError.self) { try Interpreter().run(source) }
    #expect(error?.message == message, "\(source): \(String(describing: error?.message))")
  }

  /// As torch's OneCycleLR, which lets the scheduler step `total` times: step total+1 has a
  /// rate (the fixture checks its value), one more is an error (above).
  @Test func oneCycleHasARateForStepTotalPlusOne() throws {
    let value = try #require(try Interpreter().run("one_cycle_schedule(0.1, 10)(11)").tensor)
    #expect(value.count == 1 && value[flat: 0].isFinite)
  }

  /// A phase of no length, where torch divides zero by zero, counts as complete: with
  /// pct_start·total = 1 the first step already has the peak rate.
  @Test func aPhaseOfNoLengthIsComplete() throws {
    let interp = try Interpreter()
    let first = try #require(try interp.run("one_cycle_schedule(0.2, 10, pct_start=0.1)(1)").tensor)
    #expect(first[flat: 0] == 0.2)
    let last = try #require(try interp.run("one_cycle_schedule(0.2, 10, pct_start=1.0)(11)").tensor)
    #expect(Tolerance(rtol: 1e-15).accepts(last[flat: 0], 0.2 / 25 / 1e4))
  }

  @Test func everyScheduleHasHelp() throws {
    let functions = Dictionary(uniqueKeysWithValues: try Interpreter().functions().map { ($0.name, $0) })
    let expected = [
      "constant_schedule(value)", "step_schedule(lr, step_size, gamma=0.1)", "exponential_schedule(lr, gamma)",
      "cosine_schedule(lr, total, min_lr=0.0)", "warmup_cosine_schedule(peak_lr, warmup, total, min_lr=0.0)",
      "linear_schedule(start, end, steps)",
      "one_cycle_schedule(max_lr, total, pct_start=0.3, div_factor=25.0, final_div_factor=1e4)",
    ]
    for signature in expected {
      let name = String(signature.prefix { $0 != "(" })
      let f = try #require(functions[name], "\(name) is not defined")
      #expect(f.signature == signature)
      #expect(!f.doc.isEmpty, "\(name) has no ## comment")
    }
  }
}
