import Foundation
import Testing

/// A separate Swift package depending on LossLang by path builds, compiles a loss from a
/// string, and gets PyTorch's value and gradient (the design card's focal loss; the numbers
/// were printed by torch 2.x for the same float32 inputs).
///
/// It builds a second copy of the package, so it runs only when LOSSLANG_EXTERNAL_TEST=1
/// (set by `.ci/run`).
@Suite struct ExternalPackageTests {
  static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("ExternalPackage")

  @Test(.enabled(if: ProcessInfo.processInfo.environment["LOSSLANG_EXTERNAL_TEST"] == "1"), .tags(.slow, .spawnsProcess))
  func externalPackageCompilesALoss() throws {
    let r = try runProcess(
      URL(fileURLWithPath: "/usr/bin/env"),
      ["swift", "run", "--package-path", Self.package.path,
       "--scratch-path", FileManager.default.temporaryDirectory.appendingPathComponent("ll-external-build").path,
       "ExternalUser"])
    #expect(r.status == 0, "\(r.stderr)")
    let numbers = r.stdout.split(separator: "\n").compactMap { Double($0) }
    // torch: mean(0.25 * (1-pt)^2 * -log(pt)) at pt = [0.9, 0.2, 0.6] (float32) and its gradient.
    let torch = [0.09273549914360046, -0.002681935904547572, -0.48125842213630676, -0.05627725273370743]
    try #require(numbers.count == torch.count, "output: \(r.stdout)")
    for (got, want) in zip(numbers, torch) {
      #expect(Tolerance(rtol: 1e-5, atol: 1e-6).accepts(got, want), "got \(got), torch \(want)")
    }
  }
}
