/// An error raised by the tensor layer: a shape mismatch, a bad index, an allocation
/// that cannot be satisfied, or a malformed file.
///
/// It carries only a message; the interpreter adds the source location.
struct TensorError: Error, Sendable {
  /// What went wrong.
  let message: String
  /// Whether the error came from reading or writing a file (CLI exit 74).
  var isIO = false

  init(_ message: String, isIO: Bool = false) {
    self.message = message
    self.isIO = isIO
  }
}
