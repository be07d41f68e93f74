import Foundation

/// Whether materialization runs fused plans or one kernel per primitive.
///
/// Fusion is on unless the environment sets `LOSSLANG_NO_FUSION=1`, or an interpreter turns
/// it off (`InterpreterOptions.fusion`, or `setEnabled(_:for:)` with its interrupt handle,
/// which is how tests run the same cases both ways side by side).
enum FusionSwitch {
  /// Whether `LOSSLANG_NO_FUSION=1` was set when the process started.
  static let disabledByEnvironment = ProcessInfo.processInfo.environment["LOSSLANG_NO_FUSION"] == "1"

  /// Turns fusion on or off for the interpreter owning `handle`.
  static func setEnabled(_ enabled: Bool, for handle: InterruptHandle) {
    handle.fusionEnabled = enabled
  }

  /// Whether an evaluation checking `handle` runs fused.
  static func isEnabled(for handle: InterruptHandle?) -> Bool {
    !disabledByEnvironment && handle?.fusionEnabled != false
  }
}
