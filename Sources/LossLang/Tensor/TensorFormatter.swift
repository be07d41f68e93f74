import Foundation

/// Turns tensors and numbers into text the way PyTorch prints them.
///
/// `repr` follows `torch/_tensor_str.py` with the default print options (precision 4,
/// threshold 1000, 3 edge items, line width 80); float64 tensors get `, dtype=float64`,
/// bool ones print `True`/`False` right-aligned to a common width (`[ True, False]`).
enum TensorFormatter {
  /// Columns per line.
  private static let lineWidth = 80
  /// Elements above which the output is summarized with "...".
  private static let threshold = 1000
  /// Items kept at each end of a summarized axis.
  private static let edgeItems = 3

  /// The PyTorch-style repr of a tensor, e.g. `tensor([0.2424, 1.0000])`.
  static func repr(_ t: Tensor) -> String {
    let prefix = "tensor("
    let indent = prefix.count
    var suffixes: [String] = []
    let body: String
    if t.count == 0 {
      if t.shape.count != 1 { suffixes.append("size=" + pythonTuple(t.shape)) }
      body = "[]"
    } else {
      let summarize = t.count > threshold
      let sample = summarize ? summarizedIndices(t.shape) : Array(0..<t.count)
      let formatter = ElementFormatter(values: sample.map { t[flat: $0] }, isBool: t.dtype == .bool)
      body = format(t, base: 0, axis: 0, indent: indent, summarize: summarize, formatter: formatter)
    }
    if t.dtype == .float64 || (t.dtype == .bool && t.count == 0) { suffixes.append("dtype=" + t.dtype.rawValue) }
    return addSuffixes(prefix + body, suffixes, indent: indent)
  }

  /// Text for a plain number, as Python shows it: whole numbers without a fraction
  /// (`3`, like an int), others in shortest round-trip form (`0.30000000000000004`).
  static func number(_ v: Double) -> String {
    if v.rounded() == v, abs(v) < 1e16 { return String(Int64(v)) }
    return scalar(v, dtype: .float64)
  }

  /// The shortest text that reads back as the same value of `dtype`: "0.1", "2.0", "inf",
  /// "nan"; a bool is LossLang's `true` or `false`.
  static func scalar(_ value: Double, dtype: DType) -> String {
    switch dtype {
    case .bool: return value != 0 ? "true" : "false"
    case _ where value.isNaN: return "nan"
    case .float32: return Float(value).description
    case .float64: return value.description
    }
  }

  /// A shape as Python writes a tuple: `()`, `(3,)`, `(2, 3)`.
  static func pythonTuple(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  }

  // MARK: - Layout

  /// Formats the sub-tensor at flat offset `base` spanning axes `axis...` (torch's
  /// `_tensor_str_with_formatter` and `_vector_str`).
  private static func format(
    _ t: Tensor, base: Int, axis: Int, indent: Int, summarize: Bool, formatter: ElementFormatter
  ) -> String {
    let dims = t.shape.count - axis
    if dims == 0 { return formatter.format(t[flat: base]) }
    let size = t.shape[axis]
    let step = t.shape[(axis + 1)...].reduce(1, *)
    let elided = summarize && size > 2 * edgeItems
    let positions = elided ? Array(0..<edgeItems) + [-1] + Array((size - edgeItems)..<size) : Array(0..<size)
    if dims == 1 {
      let items = positions.map { $0 < 0 ? " ..." : formatter.format(t[flat: base + $0]) }
      let perLine = max(1, (lineWidth - indent) / (formatter.width + 2))
      let lines = stride(from: 0, to: items.count, by: perLine).map {
        items[$0..<min($0 + perLine, items.count)].joined(separator: ", ")
      }
      return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
    }
    let slices = positions.map { position in
      guard position >= 0 else { return "..." }
      return format(
        t, base: base + position * step, axis: axis + 1, indent: indent + 1, summarize: summarize,
        formatter: formatter)
    }
    let separator = "," + String(repeating: "\n", count: dims - 1) + String(repeating: " ", count: indent + 1)
    return "[" + slices.joined(separator: separator) + "]"
  }

  /// The flat indices of the elements a summarized print shows (torch's `get_summarized_data`).
  private static func summarizedIndices(_ shape: [Int]) -> [Int] {
    guard let size = shape.first else { return [0] }
    let inner = Array(shape.dropFirst())
    let stride = inner.reduce(1, *)
    let rows = size > 2 * edgeItems ? Array(0..<edgeItems) + Array((size - edgeItems)..<size) : Array(0..<size)
    let innerIndices = inner.isEmpty ? [0] : summarizedIndices(inner)
    return rows.flatMap { row in innerIndices.map { row * stride + $0 } }
  }

  /// Appends `, suffix` items, wrapping to a new line past the line width (torch's `_add_suffixes`).
  private static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
    var result = text
    let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
    var lastLineLength = text.count - lastNewline + 1
    for suffix in suffixes {
      if lastLineLength + suffix.count + 2 > lineWidth {
        result += ",\n" + String(repeating: " ", count: indent) + suffix
        lastLineLength = indent + suffix.count
      } else {
        result += ", " + suffix
        lastLineLength += suffix.count + 2
      }
    }
    return result + ")"
  }
}

/// Formats single elements to a common width, choosing fixed, integer or scientific
/// notation from the values shown (torch's `_Formatter`).
private struct ElementFormatter {
  /// Whether the values are bools ("True"/"False").
  private let isBool: Bool
  /// Whether every finite value is a whole number ("1." style).
  private(set) var intMode = true
  /// Whether to use "1.0000e+00" style.
  private(set) var sciMode = false
  /// The width every element is padded to.
  private(set) var width = 1

  /// Chooses the notation and width from the values that will be printed.
  init(values: [Double], isBool: Bool) {
    self.isBool = isBool
    if isBool {
      width = values.contains(0) ? 5 : 4
      return
    }
    let shown = values.filter { $0.isFinite && $0 != 0 }
    guard let first = shown.first else { return }
    var lo = abs(first)
    var hi = lo
    for v in shown {
      lo = min(lo, abs(v))
      hi = max(hi, abs(v))
      if v != v.rounded(.up) { intMode = false }
    }
    sciMode = hi / lo > 1000 || hi > 1e8 || lo < 1e-4
    for v in shown { width = max(width, render(v).count) }
  }

  /// The element's text without padding.
  private func render(_ v: Double) -> String {
    if isBool { return v != 0 ? "True" : "False" }
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if sciMode { return String(format: "%.4e", v) }
    if intMode { return String(format: "%.0f", v) + "." }
    return String(format: "%.4f", v)
  }

  /// The element's text, right-aligned to the common width.
  func format(_ v: Double) -> String {
    let text = render(v)
    return String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
