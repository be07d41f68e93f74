import Testing

/// `:derive EXPR wrt NAME` as a person at the keyboard uses it.
extension REPLTests {
  /// The command prints the derivative's text, which the session can then evaluate; `:help`
  /// lists it; a missing `wrt` or an expression that does not depend on the name is a clear
  /// error and the session goes on.
  @Test func deriveCommandPrintsTheDerivative() throws {
    let t = try start()
    try enter("p = [0.5, 1.0, 2.0, 4.0]; t = [1.0, 1.0, 1.0, 1.0]", in: t)
    // d/dp mean((p - t)^2) = 2 (p - t) / 4 for 4 elements.
    #expect(try enter(":derive mean((p - t)^2) wrt p", in: t).contains("\n(p - t) / 2\n"))
    // The printed text evaluates to the gradient: (p - t) / 2 at p = [0.5, 1, 2, 4].
    let values = "[-0.2500,  0.0000,  0.5000,  1.5000]"
    #expect(try enter("(p - t) / 2", in: t).contains(values))
    #expect(try enter("grad(mean((p - t)^2), p)", in: t).contains(values))
    #expect(try enter(":help", in: t).contains(":derive EXPR wrt NAME"))
    #expect(try enter(":derive mean(p)", in: t).contains("error: usage: :derive EXPR wrt NAME"))
    #expect(try enter(":derive sum(t) wrt p", in: t).contains("derive: argument 'y' does not depend on 'p'"))
    #expect(try enter("1 + 2", in: t).contains("\n3"))
  }
}
