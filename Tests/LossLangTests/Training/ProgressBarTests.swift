import Foundation
import Testing

@testable import LossLang

/// `fit`'s progress display on its own, timed by a fake clock: the bar's layout, the
/// throttling of redraws, the final state with its newline, the smoothed loss, and the
/// plain lines used when output is not a terminal.
@Suite struct ProgressBarTests {
  /// A clock the test moves by hand.
  final class FakeClock {
    var now = 0.0
  }

  /// A bar for `total` steps on the fake clock `clock`.
  func bar(_ total: Int, _ mode: ProgressBar.Mode, _ clock: FakeClock) -> ProgressBar {
    ProgressBar(total: total, mode: mode, clock: { clock.now })
  }

  @Test func aBarLineShowsStepsLossTimesAndRate() {
    let clock = FakeClock()
    var b = bar(100, .terminal, clock)
    #expect(b.begin() == "\r  0/100 |                    | loss - [00:00<?, ? steps/s]\u{1B}[K")
    for k in 1...50 {
      clock.now = Double(k) * 0.2
      _ = b.record(step: k, loss: 2)
    }
    // 50 steps in 10 s: 5 steps/s, 50 more take 10 s; half the 20 cells full; a constant loss smooths to itself.
    #expect(b.line(at: 10) == " 50/100 |██████████          | loss 2 [00:10<00:10, 5.00 steps/s]")
  }

  @Test func redrawsAtMostEveryTenthOfASecondThenTheFinalState() throws {
    let clock = FakeClock()
    var b = bar(200, .terminal, clock)
    var draws: [(time: Double, text: String)] = []
    if let text = b.begin() { draws.append((0, text)) }
    let dt = 1.0 / 64
    for k in 1...200 {
      clock.now = Double(k) * dt
      if let text = b.record(step: k, loss: 1 / Double(k)) { draws.append((clock.now, text)) }
    }
    let times = draws.map(\.time)
    let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
    #expect(gaps.allSatisfy { $0 >= ProgressBar.redrawInterval }, "\(gaps)")
    #expect(gaps.allSatisfy { $0 < ProgressBar.redrawInterval + dt }, "a redraw is not held back longer than one step")
    #expect(draws.count < 200 / 4, "\(draws.count) redraws for 200 steps")
    #expect(draws.allSatisfy { $0.text.hasPrefix("\r") && $0.text.hasSuffix("\u{1B}[K") && !$0.text.contains("\n") })
    let last = try #require(draws.last)
    #expect(!last.text.contains("200/200"), "the last step came within 0.1 s of a redraw (dt = 1/64 s)")
    let finished = b.finish(interrupted: false)
    let final = try #require(finished)
    #expect(final.hasPrefix("\r200/200 |████████████████████|") && final.hasSuffix("\u{1B}[K\n"), "\(final)")
    #expect(!final.contains("interrupted"))
  }

  @Test func anInterruptedBarSaysSoAndEndsItsLine() throws {
    let clock = FakeClock()
    var b = bar(1000, .terminal, clock)
    _ = b.begin()
    clock.now = 1
    _ = b.record(step: 1, loss: 0.5)
    let finished = b.finish(interrupted: true)
    let final = try #require(finished)
    #expect(final.hasPrefix("\r   1/1000 |") && final.hasSuffix(" interrupted\u{1B}[K\n"), "\(final)")
  }

  /// The smoothed loss is tqdm's debiased exponential moving average with weight 0.1.
  @Test func theLossIsADebiasedMovingAverage() {
    let clock = FakeClock()
    var b = bar(10, .silent, clock)
    #expect(b.smoothedLoss == nil)
    _ = b.record(step: 1, loss: 1)
    #expect(b.smoothedLoss == 1)
    _ = b.record(step: 2, loss: 0)
    let want = (0.9 * 0.1) / (1 - 0.9 * 0.9)
    #expect(abs((b.smoothedLoss ?? .nan) - want) < 1e-15)
  }

  @Test func plainLinesComeEveryNSteps() {
    let clock = FakeClock()
    var b = bar(10, .lines(every: 3), clock)
    #expect(b.begin() == nil)
    let out = (1...10).compactMap { b.record(step: $0, loss: Double($0) / 8) }
    #expect(out == ["step 3/10: loss 0.375\n", "step 6/10: loss 0.75\n", "step 9/10: loss 1.125\n"])
    #expect(b.finish(interrupted: false) == nil)
  }

  @Test func silentShowsNothing() {
    let clock = FakeClock()
    var b = bar(5, .silent, clock)
    #expect(b.begin() == nil)
    #expect((1...5).allSatisfy { b.record(step: $0, loss: 1) == nil })
    #expect(b.finish(interrupted: true) == nil)
  }

  @Test func barsDurationsAndRates() {
    #expect(ProgressBar.bar(0) == String(repeating: " ", count: 20))
    #expect(ProgressBar.bar(1) == String(repeating: "█", count: 20))
    #expect(ProgressBar.bar(1.0 / 160) == "▏" + String(repeating: " ", count: 19))
    #expect(ProgressBar.bar(0.5 + 3.0 / 160) == String(repeating: "█", count: 10) + "▍" + String(repeating: " ", count: 9))
    #expect(ProgressBar.duration(65) == "01:05")
    #expect(ProgressBar.duration(3725.9) == "1:02:05")
    #expect(ProgressBar.duration(.infinity) == "?")
    #expect(ProgressBar.rate(1234.4) == "1234" && ProgressBar.rate(12.34) == "12.3" && ProgressBar.rate(0.5) == "0.50")
  }

  @Test func anEmptyRunDrawsAFullBar() throws {
    let clock = FakeClock()
    var b = bar(0, .terminal, clock)
    _ = b.begin()
    let finished = b.finish(interrupted: false)
    let final = try #require(finished)
    #expect(final.hasPrefix("\r0/0 |████████████████████| loss - [00:00<?, ? steps/s]"), "\(final)")
  }
}
