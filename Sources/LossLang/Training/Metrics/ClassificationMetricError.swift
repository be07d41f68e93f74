/// A bad argument of a classification metric: which argument, and what is wrong with it.
///
/// The binding turns it into the library's error, prefixed with the function's name and
/// the argument's (`f1_score: argument 'average' …`), at the user's call.
struct ClassificationMetricError: Error, Equatable {
  /// The argument at fault, by its LossLang parameter name.
  enum ArgumentName: String {
    case target, pred, average
    case numClasses = "num_classes"
  }

  /// The argument at fault.
  let argument: ArgumentName
  /// What is wrong, worded to follow "argument 'name' ".
  let message: String
}
