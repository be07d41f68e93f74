import Foundation

/// `:time EXPR`: how long an input takes to evaluate, as a median and its spread.
extension Interpreter {
  /// Evaluates `source` repeatedly (tracing and computing every tensor of its value) and
  /// reports the times.
  ///
  /// The source is parsed once; one warm-up run is not counted (the native kernels it
  /// started compiling are waited for after it). Runs repeat until about
  /// `budget` seconds have been spent (at least 3 runs unless one run exceeds the budget,
  /// at most `maxRuns`). Interruptible like any evaluation.
  public func time(_ source: String, path: String = "<repl>", budget: Double = 1.0, maxRuns: Int = 1000) throws
    -> TimingReport
  {
    let file = SourceFile(path: path, text: source)
    return try execute { [evaluator] in
      let statements = try Parser.parse(file)
      func once() throws -> Double {
        try evaluator.interruption.check()  // each run clears a request, so look before it starts
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try evaluator.export(evaluator.run(statements, in: evaluator.globals))
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      }
      let first = try once()
      evaluator.context.waitForNativeCompiles()
      let runs: Int
      if first >= budget {
        runs = 1
      } else {
        // Clamped as a Double first: a huge or NaN budget must not reach Int(_:).
        let ratio = budget / max(first, 1e-9)
        let fitting = ratio.isNaN ? 3 : min(max(ratio, 3), Double(max(3, maxRuns)))
        runs = min(Int(fitting), max(1, maxRuns))
      }
      var samples: [Double] = []
      samples.reserveCapacity(runs)
      for _ in 0..<runs { samples.append(try once()) }
      return TimingReport(samples: samples)
    }
  }
}

/// Repeated timings of one evaluation, in seconds.
public struct TimingReport: Sendable, CustomStringConvertible {
  /// Every measured run, sorted ascending (never empty).
  public let samples: [Double]

  /// Creates a report from measured run times.
  public init(samples: [Double]) { self.samples = samples.isEmpty ? [0] : samples.sorted() }

  /// The median run time.
  public var median: Double { quantile(0.5) }
  /// The 25th percentile.
  public var lowerQuartile: Double { quantile(0.25) }
  /// The 75th percentile.
  public var upperQuartile: Double { quantile(0.75) }
  /// The fastest run.
  public var minimum: Double { samples[0] }
  /// The slowest run.
  public var maximum: Double { samples[samples.count - 1] }

  /// The `q` quantile by linear interpolation between order statistics.
  public func quantile(_ q: Double) -> Double {
    let position = (q.isNaN ? 0.5 : min(max(q, 0), 1)) * Double(samples.count - 1)
    let lo = Int(position.rounded(.down))
    let hi = min(lo + 1, samples.count - 1)
    return samples[lo] + (samples[hi] - samples[lo]) * (position - Double(lo))
  }

  /// `median 1.23 ms, IQR 1.20–1.31 ms, min 1.10 ms, max 1.52 ms (200 runs)`.
  public var description: String {
    let runs = "\(samples.count) run\(samples.count == 1 ? "" : "s")"
    return "median \(Self.format(median)), IQR \(Self.format(lowerQuartile))–\(Self.format(upperQuartile)), "
      + "min \(Self.format(minimum)), max \(Self.format(maximum)) (\(runs))"
  }

  /// Seconds with a unit that keeps three significant digits: `812 ns`, `1.23 ms`, `2.50 s`.
  public static func format(_ seconds: Double) -> String {
    let (value, unit): (Double, String) =
      seconds >= 1 ? (seconds, "s") : seconds >= 1e-3 ? (seconds * 1e3, "ms")
      : seconds >= 1e-6 ? (seconds * 1e6, "µs") : (seconds * 1e9, "ns")
    let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
    return String(format: "%.\(digits)f %@", value, unit)
  }
}
