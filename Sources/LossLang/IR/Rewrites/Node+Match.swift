/// Structural questions the stable rewrites ask of a traced node. A node whose history was
/// dropped (a leaf holding its value) matches no operation.
extension Node {
  /// The operand when this node applies the unary `op`.
  func operand(ifUnary op: UnaryOp) -> Node? {
    guard case .unary(let applied) = self.op, applied == op, inputs.count == 1 else { return nil }
    return inputs[0]
  }

  /// The operand when this node is a `stop_gradient`.
  func operand(ifStopGradient: Void) -> Node? {
    guard case .stopGradient = op, inputs.count == 1 else { return nil }
    return inputs[0]
  }

  /// The two operands when this node applies the binary `op`.
  func operands(ifBinary op: BinaryOp) -> (Node, Node)? {
    guard case .binary(let applied) = self.op, applied == op, inputs.count == 2 else { return nil }
    return (inputs[0], inputs[1])
  }

  /// Whether this is the number `c` written in the source: a one-element constant that is
  /// not bound to a name (a bound value can be differentiated against) nor an input of a
  /// compiled loss, or the negation of such a `-c`, or one converted to another float dtype
  /// (`-1` meeting a float32 tensor; ±1 converts exactly).
  func isLiteral(_ c: Double) -> Bool {
    if let negated = operand(ifUnary: .neg) { return negated.isLiteral(-c) }
    if case .cast(let dtype) = op, dtype != .bool, inputs.count == 1 { return inputs[0].isLiteral(c) }
    guard op.isConstant, !isBound, !isPlaceholder, let v = value, v.count == 1 else { return false }
    return v[flat: 0] == c
  }

  /// `a` when this node is `a + c` or `c + a` for the literal `c`.
  func addend(besides c: Double) -> Node? {
    guard let (a, b) = operands(ifBinary: .add) else { return nil }
    if b.isLiteral(c) { return a }
    return a.isLiteral(c) ? b : nil
  }

  /// `s` when this node is `1 - s`, `1 + (-s)` or `(-s) + 1`.
  var oneMinus: Node? {
    if let (one, s) = operands(ifBinary: .sub), one.isLiteral(1) { return s }
    return addend(besides: 1)?.operand(ifUnary: .neg)
  }

  /// The other factor and the matching one when this node is a product with a factor
  /// satisfying `matches` (either order).
  func factors(where matches: (Node) -> Bool) -> (other: Node, matched: Node)? {
    guard let (a, b) = operands(ifBinary: .mul) else { return nil }
    if matches(b) { return (a, b) }
    return matches(a) ? (b, a) : nil
  }
}
