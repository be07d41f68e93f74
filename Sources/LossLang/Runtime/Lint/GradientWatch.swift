/// The gradients of `sqrt` and `pow` that `grad` built while linting: when one is computed
/// and holds inf or NaN, the hazard is reported at the forward expression (`sqrt` of 0,
/// `0^p` with p < 1).
final class GradientWatch {
  /// One cotangent a VJP rule built for a watched primitive.
  private struct Entry {
    /// The cotangent node (weak: an entry never keeps a graph alive).
    weak var node: Node?
    /// The gradient flowing into the primitive (weak, as `node`).
    weak var adjoint: Node?
    /// The primitive's name as the user writes it.
    let name: String
    /// The forward expression.
    let span: SourceSpan?
  }

  /// Watched cotangents by identity (an entry whose node is gone is stale).
  private var entries: [ObjectIdentifier: Entry] = [:]
  /// Entry count above which stale entries are swept.
  private var sweepAt = 1_024

  /// Watches the cotangents `grad` built for `node` from `adjoint`, if it is `sqrt` or `pow`
  /// (``Tracer/onVJP``).
  func differentiated(_ node: Node, adjoint: Node, cotangents: [Node?]) {
    let name: String
    switch node.op {
    case .unary(.sqrt): name = "sqrt"
    case .binary(.pow): name = "pow"
    default: return
    }
    for case let ct? in cotangents {
      entries[ObjectIdentifier(ct)] = Entry(node: ct, adjoint: adjoint, name: name, span: node.span)
    }
    if entries.count > sweepAt {
      entries = entries.filter { $0.value.node != nil }
      sweepAt = max(1_024, 2 * entries.count)
    }
  }

  /// The hazard a computed node shows if it is a watched cotangent holding inf or NaN where
  /// the gradient flowing in (when it is a direct input) is finite.
  func finding(_ node: Node, _ result: Tensor, _ inputs: [Tensor]) -> (message: String, span: SourceSpan?)? {
    guard let entry = entries[ObjectIdentifier(node)], entry.node === node else { return nil }
    let incoming = node.inputs.firstIndex { $0 === entry.adjoint }.map { inputs[$0] }
    var (infinite, nan) = (0, 0)
    for i in 0..<result.count {
      let v = result[flat: i]
      guard !v.isFinite else { continue }
      if let g = incoming, !(g.count == 1 ? g[flat: 0] : g.count == result.count ? g[flat: i] : 0).isFinite { continue }
      if v.isNaN { nan += 1 } else { infinite += 1 }
    }
    guard infinite + nan > 0 else { return nil }
    let what = [infinite > 0 ? "inf" : nil, nan > 0 ? "NaN" : nil].compactMap { $0 }.joined(separator: " or ")
    let cause = entry.name == "sqrt" ? "an input of 0 or below there" : "a base of 0 or below there"
    let place = LintHazard.place(infinite + nan, of: result.count)
    return ("the gradient of `\(entry.name)` is \(what)\(place) (\(cause))", entry.span)
  }
}
