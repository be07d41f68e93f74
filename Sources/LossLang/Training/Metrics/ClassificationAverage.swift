/// How precision, recall and F1 combine the classes (scikit-learn's `average`).
enum ClassificationAverage: String, CaseIterable {
  /// The score of class 1 alone; the classes present must be at most two.
  case binary
  /// The unweighted mean of the per-class scores.
  case macro
  /// The score of the counts pooled over the classes.
  case micro
  /// The mean of the per-class scores weighted by each class's support.
  case weighted

  /// The positive class of `binary` (scikit-learn's default `pos_label=1`).
  static let positiveClass = 1

  /// The average named `name`; any other name is an error listing the valid ones.
  init(named name: String) throws {
    guard let average = Self(rawValue: name) else {
      throw MetricArgumentError("average", "must be one of \(Self.quoted(Self.allCases)), got \"\(name)\"")
    }
    self = average
  }

  /// Checks that `binary` applies to the classes of `counts`: at most two, one of them
  /// the positive class 1 when there are two (scikit-learn's conditions and advice).
  func check(_ counts: ConfusionCounts) throws {
    guard self == .binary else { return }
    let labels = counts.labels
    let others = "choose another average setting, one of \(Self.quoted([.macro, .micro, .weighted]))"
    guard labels.count <= 2 else {
      throw MetricArgumentError("average", "is \"binary\" but target and pred hold \(labels.count) classes \(labels); \(others)")
    }
    guard labels.count < 2 || labels.contains(Self.positiveClass) else {
      throw MetricArgumentError("average", "is \"binary\", which scores class \(Self.positiveClass), but target and pred hold classes \(labels); \(others)")
    }
  }

  /// Names as a LossLang list of strings: `["macro", "micro"]`.
  private static func quoted(_ averages: [ClassificationAverage]) -> String {
    "[" + averages.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]"
  }
}
