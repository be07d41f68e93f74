/// f-strings at run time: each field's value as `str` shows it, or formatted by its spec.
extension Evaluator {
  /// The text of an f-string.
  func formatString(_ parts: [FormatPart], in env: Environment) throws -> String {
    var out = ""
    for part in parts {
      switch part {
      case .text(let text): out += text
      case .field(let expr, let spec): out += try formatField(evaluate(expr, in: env), spec: spec, at: expr.span)
      }
      guard out.utf8.count <= Self.maxStringBytes else {
        throw LossLangError(.runtime, "an f-string would make a string of more than \(Self.maxStringBytes) bytes")
      }
    }
    return out
  }

  /// One field's text: `str(value)` without a spec; with one, a number (a one-element
  /// tensor) or a string (a Bool as `true`/`false`) formatted as Python would.
  private func formatField(_ value: RuntimeValue, spec: String, at span: SourceSpan) throws -> String {
    guard !spec.isEmpty else { return try display(value) }
    do {
      let format = try FormatSpec(spec)
      switch value {
      case .string(let s): return try format.format(string: s)
      case .bool(let b): return try format.format(string: b ? "true" : "false")
      case .tensor(let n) where n.count == 1:
        return try format.format(number: scalar(n), general: display(value))
      default:
        let what = if case .tensor(let n) = value { "a tensor of shape \(n.shape)" } else { "a \(value.typeName)" }
        throw FormatSpec.Failure(message: "format spec '\(spec)' needs a number or a string, got \(what)")
      }
    } catch let failure as FormatSpec.Failure {
      throw LossLangError(.runtime, failure.message, span: span)
    }
  }
}
