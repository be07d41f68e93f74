import Foundation
import Testing

/// `losslang --no-rewrite` computes textbook formulas as written; without it they are
/// rewritten to their stable forms (the printed values show which).
@Suite(.tags(.spawnsProcess)) struct NoRewriteFlagTests {
  /// `log(sigmoid(x))` at -200 in float32: logsigmoid gives -200 exactly, the written form
  /// log(0) = -inf (sigmoid(-200) ≈ 1.4e-87 underflows to 0). The expected lines are what
  /// PyTorch prints for `F.logsigmoid` and `torch.log(torch.sigmoid(…))` of these inputs.
  static let expression = "log(sigmoid([-200.0, 0.0]))"

  @Test func rewritesByDefault() throws {
    let r = try runLossLang(["-e", Self.expression])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "tensor([-200.0000,   -0.6931])\n")
  }

  @Test func noRewriteComputesTheWrittenForm() throws {
    let r = try runLossLang(["--no-rewrite", "-e", Self.expression])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "tensor([   -inf, -0.6931])\n")
  }

  @Test func helpListsTheFlag() throws {
    let r = try runLossLang(["--help"])
    #expect(r.stdout.contains("--no-rewrite"))
  }
}
