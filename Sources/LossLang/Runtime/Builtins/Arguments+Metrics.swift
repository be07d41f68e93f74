/// How a metric builtin reports a bad input.
extension Arguments {
  /// Runs a metric's computation, turning its ``MetricArgumentError`` into the error
  /// `name: argument 'parameter' message` (worded as ``error(_:_:)`` words it).
  func metric<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as MetricArgumentError {
      throw LossLangError(.runtime, "\(function.name): argument '\(error.argument)' \(error.message)")
    }
  }
}
