import Foundation

/// What `fit` shows while it trains, as text to write: on a terminal a bar redrawn in place
/// (at most every ``redrawInterval`` seconds, plus the final state and a newline), elsewhere
/// a plain line every `every` steps, or nothing.
///
/// Pure: it reads the time from an injected clock and returns the text; the caller writes it.
/// The bar line is tqdm's layout:
/// ```
///  37/100 |███████▍            | loss 0.1234 [00:03<00:05, 12.34 steps/s]
/// ```
/// The loss shown is smoothed as tqdm smooths its rate: an exponential moving average with
/// weight ``smoothing`` on the newest step's loss, divided by the sum of the weights
/// (`1 - (1 - smoothing)^steps`) so that it is not biased towards 0 at the start (after one
/// step it is that step's loss).
/// The rate is the steps taken over the time since the bar began, and the time left the
/// remaining steps at that rate.
struct ProgressBar {
  /// How progress is shown.
  enum Mode: Equatable, Sendable {
    /// A bar redrawn in place with `\r` (standard output is a terminal).
    case terminal
    /// One line `step K/N: loss L` every `every` steps.
    case lines(every: Int)
    /// Nothing.
    case silent
  }

  /// The shortest time between two redraws of the bar, in seconds.
  static let redrawInterval = 0.1
  /// The weight of the newest loss in the smoothed loss.
  static let smoothing = 0.1
  /// The bar's width in character cells.
  static let barWidth = 20

  /// The number of steps planned.
  let total: Int
  /// How progress is shown.
  let mode: Mode
  /// The current time in seconds (any fixed origin; monotonic).
  private let clock: () -> Double
  /// When the bar began.
  private let start: Double
  /// When the bar was last drawn; nil before the first drawing.
  private var lastDraw: Double?
  /// The steps recorded so far.
  private(set) var step = 0
  /// The moving average of the losses before its bias correction, and the sum of its weights.
  private var average = 0.0, weight = 0.0

  /// A bar for `total` steps, timed by `clock` (seconds) from now.
  init(total: Int, mode: Mode, clock: @escaping () -> Double) {
    self.total = total
    self.mode = mode
    self.clock = clock
    start = clock()
  }

  /// The smoothed loss; nil before the first step.
  var smoothedLoss: Double? { step == 0 ? nil : average / weight }

  /// The text to write before the first step: the empty bar on a terminal, else nothing.
  mutating func begin() -> String? {
    mode == .terminal ? redraw(at: clock()) : nil
  }

  /// Records that step `step` (1-based) ended with `loss`; the text to write now, if any.
  mutating func record(step: Int, loss: Double) -> String? {
    self.step = step
    average = Self.smoothing * loss + (1 - Self.smoothing) * average
    weight = Self.smoothing + (1 - Self.smoothing) * weight
    switch mode {
    case .terminal:
      let now = clock()
      guard let last = lastDraw, now - last < Self.redrawInterval else { return redraw(at: now) }
      return nil
    case .lines(let every):
      guard step % every == 0 else { return nil }
      return "step \(step)/\(total): loss \(String(format: "%.6g", loss))\n"
    case .silent:
      return nil
    }
  }

  /// The text that ends the display: on a terminal the final state (marked when `interrupted`)
  /// and a newline, else nothing.
  mutating func finish(interrupted: Bool) -> String? {
    guard mode == .terminal else { return nil }
    return redraw(at: clock(), note: interrupted ? " interrupted" : "") + "\n"
  }

  /// The bar at time `now` followed by `note`, from the start of the line and clearing what
  /// was after it.
  private mutating func redraw(at now: Double, note: String = "") -> String {
    lastDraw = now
    return "\r" + line(at: now) + note + "\u{1B}[K"
  }

  /// The bar's line at time `now`.
  func line(at now: Double) -> String {
    let elapsed = max(now - start, 0)
    let rate = elapsed > 0 ? Double(step) / elapsed : 0
    let left = rate > 0 ? Self.duration(Double(total - step) / rate) : "?"
    let count = String(step).leftPadded(to: String(total).count)
    let fraction = total > 0 ? Double(step) / Double(total) : 1
    let loss = smoothedLoss.map { String(format: "%.4g", $0) } ?? "-"
    let speed = rate > 0 ? Self.rate(rate) : "?"
    return "\(count)/\(total) |\(Self.bar(fraction))| loss \(loss) [\(Self.duration(elapsed))<\(left), \(speed) steps/s]"
  }

  /// A bar of ``barWidth`` cells filled to `fraction` in eighths of a cell.
  static func bar(_ fraction: Double) -> String {
    let eighths = Int((min(max(fraction, 0), 1) * Double(barWidth * 8)).rounded(.down))
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
    let filled = String(repeating: "█", count: eighths / 8) + partial
    return filled + String(repeating: " ", count: barWidth - filled.count)
  }

  /// A duration as tqdm writes it: `mm:ss`, or `h:mm:ss` from an hour on.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded(.down))
    let (hours, minutes, rest) = (s / 3600, s / 60 % 60, s % 60)
    let mmss = String(format: "%02d:%02d", minutes, rest)
    return hours > 0 ? "\(hours):\(mmss)" : mmss
  }

  /// Steps per second with three or four significant digits.
  static func rate(_ r: Double) -> String {
    String(format: r >= 100 ? "%.0f" : r >= 10 ? "%.1f" : "%.2f", r)
  }
}

extension String {
  /// The string with spaces before it to make it `width` characters long.
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: " ", count: max(width - count, 0)) + self
  }
}
