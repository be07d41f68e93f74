/// Resource limits; exceeding one throws a ``LossLangError`` of kind `.limitExceeded`
/// and leaves the interpreter usable.
public struct Limits: Sendable {
  /// The most elements any one tensor may have (nil: only the machine's memory limits it).
  public var maxTensorElements: Int?
  /// The most bytes of tensor storage and computation graph the interpreter may hold at
  /// once, across all its evaluations: memory is charged when a tensor or graph node is
  /// created and returned when it is freed, so results the host keeps count until it
  /// releases them (nil: no limit).
  public var maxTotalBytes: Int?
  /// The deepest nesting of LossLang function calls (default 400). Whatever it is set to,
  /// calls nest at most 10 000 deep, what the evaluation stack holds.
  public var maxCallDepth = 400
  /// The most expression evaluations one evaluation may perform (nil: no limit). A
  /// ``CompiledLoss`` counts them where it evaluates its expression: when it is compiled
  /// (traced), and on each call of a loss that is re-traced per call.
  public var maxSteps: Int?
  /// The most wall-clock seconds one evaluation may take (nil: no limit); each
  /// ``CompiledLoss`` call is one evaluation.
  public var maxSeconds: Double?

  /// No limits beyond the default call depth.
  public init() {}
}
