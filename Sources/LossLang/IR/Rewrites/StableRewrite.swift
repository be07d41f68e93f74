/// A textbook formula the tracer replaces by its numerically stable equivalent.
///
/// Each case names the written form and the stable form it becomes (see docs/numerics.md,
/// "Stable rewrites"); `Tracer.rewritten(_:)` matches them on the traced graph.
public enum StableRewrite: String, Sendable, CaseIterable {
  /// `log(sigmoid(x))` → `logsigmoid(x)`.
  case logSigmoid
  /// `log(1 - sigmoid(x))` → `logsigmoid(-x)`.
  case logOneMinusSigmoid
  /// `log(softmax(x, a))` → `log_softmax(x, a)`.
  case logSoftmax
  /// `log(sum(exp(x), a))` → `logsumexp(x, a)`.
  case logSumExp
  /// `exp(x) / sum(exp(x), a, keepdims=true)` → `softmax(x, a)`.
  case softmax
  /// `log(1 + x)` → `log1p(x)`.
  case log1p
  /// `exp(x) - 1` → `expm1(x)`.
  case expm1
  /// `t·log(p) + (1-t)·log(1-p)` with `p = sigmoid(z)` → `logsigmoid(z) - (1-t)·z`.
  case binaryCrossEntropy

  /// The formula as written, in LossLang.
  public var written: String {
    switch self {
    case .logSigmoid: "log(sigmoid(x))"
    case .logOneMinusSigmoid: "log(1 - sigmoid(x))"
    case .logSoftmax: "log(softmax(x, a))"
    case .logSumExp: "log(sum(exp(x), a))"
    case .softmax: "exp(x) / sum(exp(x), a, keepdims=true)"
    case .log1p: "log(1 + x)"
    case .expm1: "exp(x) - 1"
    case .binaryCrossEntropy: "t * log(p) + (1 - t) * log(1 - p) with p = sigmoid(z)"
    }
  }

  /// The stable formula that replaces it.
  public var replacement: String {
    switch self {
    case .logSigmoid: "logsigmoid(x)"
    case .logOneMinusSigmoid: "logsigmoid(-x)"
    case .logSoftmax: "log_softmax(x, a)"
    case .logSumExp: "logsumexp(x, a)"
    case .softmax: "softmax(x, a)"
    case .log1p: "log1p(x)"
    case .expm1: "expm1(x)"
    case .binaryCrossEntropy: "logsigmoid(z) - (1 - t) * z"
    }
  }
}
