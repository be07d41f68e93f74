import Foundation
import Testing

@testable import LossLang

/// Every script in `examples/figures/` runs, draws its figures as text and writes the SVG
/// files it promises, and a real renderer (`rsvg-convert`) turns each SVG into a PNG of the
/// size the SVG declares.
@Suite(.tags(.spawnsProcess)) struct FigureExamplesTests {
  static let directory = repositoryRoot.appendingPathComponent("examples/figures")

  /// The lessons' figures: each script and the SVG files it writes.
  static let figures: [String: [String]] = [
    "loss_shapes.loss": ["loss_shapes.svg"],
    "bce.loss": ["bce.svg"],
    "focal_factor.loss": ["focal_factor.svg"],
    "schedule.loss": ["schedule.svg"],
    "robust_fit.loss": ["robust_fit.svg", "robust_distances.svg"],
    "label_smoothing.loss": ["training_curves.svg", "reliability.svg"],
  ]

  @Test func everyFigureScriptIsListed() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.directory.path)) ?? []
    #expect(Set(names.filter { $0.hasSuffix(".loss") }) == Set(Self.figures.keys))
  }

  @Test(arguments: figures.keys.sorted())
  func figureScriptDrawsAndWritesRenderableSVG(_ name: String) throws {
    let out = try TestScratch.subdirectory("figures-")
    let interp = try Interpreter()
    var printed = ""
    interp.output = { printed += $0 }
    interp.setArguments([out.path])
    try interp.runFile(Self.directory.appendingPathComponent(name).path)
    #expect(printed.contains("└"), "\(name) showed no figure as text")
    #expect(!printed.contains("\u{1B}["), "\(name): colour codes in output that is not a terminal")
    let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".svg") }
    #expect(Set(written) == Set(Self.figures[name] ?? []), "\(name) wrote \(written)")
    for file in written {
      let svg = out.appendingPathComponent(file)
      let text = try String(contentsOf: svg, encoding: .utf8)
      let png = try rasterize(svg, to: out.appendingPathComponent(file + ".png"))
      #expect(png.run.status == 0, "rsvg-convert \(file): \(png.run.stderr)")
      let declared = try #require(Self.size(declared: text), "\(file) declares no size")
      #expect(png.size?.width == declared.width && png.size?.height == declared.height, "\(file): \(String(describing: png.size))")
    }
  }

  /// README links `docs/figures/loss_shapes.svg`: it is what the script writes today.
  @Test func theSVGInTheDocsIsTheScriptsOutput() throws {
    let out = try TestScratch.subdirectory("figures-docs-")
    let interp = try Interpreter()
    interp.output = { _ in }
    interp.setArguments([out.path])
    try interp.runFile(Self.directory.appendingPathComponent("loss_shapes.loss").path)
    let written = try String(contentsOf: out.appendingPathComponent("loss_shapes.svg"), encoding: .utf8)
    let committed = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/figures/loss_shapes.svg"), encoding: .utf8)
    #expect(written == committed, "regenerate: losslang examples/figures/loss_shapes.loss docs/figures")
  }

  /// The `width` and `height` attributes of the root `<svg>` element, in pixels.
  static func size(declared svg: String) -> (width: Int, height: Int)? {
    guard let root = svg.range(of: "<svg ") else { return nil }
    let tag = svg[root.lowerBound...].prefix { $0 != ">" }
    func attribute(_ name: String) -> Int? {
      guard let start = tag.range(of: " \(name)=\"") else { return nil }
      return Int(Double(tag[start.upperBound...].prefix { $0 != "\"" }.filter { $0.isNumber || $0 == "." }) ?? -1)
    }
    guard let width = attribute("width"), let height = attribute("height") else { return nil }
    return (width, height)
  }
}
