import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@testable import LossLang

/// `show()` and `savefig(path)` through the interpreter: which width and colours `show` draws
/// with, that it closes the figure, and that `savefig` writes the SVG renderer's document
/// under the file-access policy, refusing other extensions and missing directories.
@Suite struct PictureOutputTests {
  /// A figure drawn with every kind of call, for the outputs to draw.
  static let drawing = """
    plot([1, 2, 4], label="rising")
    scatter([0, 1], [3, 1], color="red")
    title("both")
    """

  /// The figure `drawing` leaves in a fresh interpreter.
  func drawnFigure() throws -> Figure {
    let interpreter = try Interpreter()
    try interpreter.run(Self.drawing)
    return interpreter.evaluator.currentFigure.figure
  }

  @Test func showDrawsAt80ColumnsWithoutColourWhenNotATerminal() throws {
    let expected = TextFigureRenderer.render(try drawnFigure(), width: 80, height: nil, colors: false)
    let interpreter = try Interpreter()
    let printed = try printedOutput(Self.drawing + "\nshow()", in: interpreter)
    #expect(printed == expected)
    #expect(!printed.contains("\u{1B}["))
    #expect(printed.split(separator: "\n").allSatisfy { $0.count <= 80 })
    // show() closes the figure, as plt.show() does.
    #expect(interpreter.evaluator.currentFigure.figure == Figure())
  }

  @Test func showDrawsAtTheTerminalsWidthInColourOnATerminal() throws {
    var options = Interpreter.Options()
    options.outputIsTerminal = true
    options.outputColumns = 100
    let printed = try printedOutput(Self.drawing + "\nshow()", options: options)
    #expect(printed == TextFigureRenderer.render(try drawnFigure(), width: 100, height: nil, colors: true))
    #expect(printed.contains("\u{1B}[38;2;255;0;0m"), "the red series in its colour")
  }

  @Test func figureSizeOverridesTheTerminal() throws {
    var options = Interpreter.Options()
    options.outputColumns = 120
    let interpreter = try Interpreter(options: options)
    try interpreter.run("figure(width=50, height=10)\n" + Self.drawing)
    let figure = interpreter.evaluator.currentFigure.figure
    let printed = try printedOutput("show()", in: interpreter)
    #expect(printed == TextFigureRenderer.render(figure, width: 50, height: 10, colors: false))
    #expect(printed.split(separator: "\n", omittingEmptySubsequences: false).count == 11)
  }

  @Test func showOfNothingDrawnPrintsNothing() throws {
    #expect(try printedOutput("show()").isEmpty)
    #expect(try printedOutput("figure(width=40)\nxlim(0, 2)\nshow()").isEmpty)
    #expect(try printedOutput("plot([1, 2])\nshow()\nshow()").split(separator: "\n").count > 1)
  }

  @Test func savefigWritesTheSVGAndKeepsTheFigure() throws {
    let directory = try TestScratch.subdirectory("savefig-")
    let path = directory.appendingPathComponent("both.svg").path
    let interpreter = try Interpreter()
    try interpreter.run(Self.drawing + "\nsavefig(\"\(path)\")")
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(written == SVGFigureRenderer.render(try drawnFigure()))
    let document = try XMLDocument(data: Data(written.utf8))
    #expect(document.rootElement()?.name == "svg")
    #expect(document.rootElement()?.stringValue?.contains("both") == true)
    #expect(interpreter.evaluator.currentFigure.figure == (try drawnFigure()))
  }

  /// A refused `savefig` writes nothing and leaves the figure as it was.
  @Test(arguments: [
    ("plot.png", false, "savefig: argument 'path' must name an .svg file (savefig writes SVG only), got 'DIR/plot.png'"),
    ("missing/plot.svg", false, "savefig: cannot write 'DIR/missing/plot.svg': 'DIR/missing' is not an existing directory"),
    ("plot.svg", true, "savefig: file access is disabled in this interpreter"),
  ])
  func refusedSavefigWritesNothing(_ name: String, sandboxed: Bool, message: String) throws {
    let directory = try TestScratch.subdirectory("savefig-")
    var options = Interpreter.Options()
    options.allowFileIO = !sandboxed
    let interpreter = try Interpreter(options: options)
    try interpreter.run(Self.drawing)
    let before = interpreter.evaluator.currentFigure.figure
    let path = directory.appendingPathComponent(name).path
    let error = try #require(throws: LossLangError.self) { try interpreter.run("savefig(\"\(path)\")") }
    #expect(error.message == message.replacingOccurrences(of: "DIR", with: directory.path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    #expect(interpreter.evaluator.currentFigure.figure == before)
  }

  /// The REPL's view: a change since the last look is drawn once, without closing the figure.
  @Test func aChangedFigureIsTakenOnceAndStaysCurrent() throws {
    let interpreter = try Interpreter()
    #expect(try interpreter.takeChangedFigure() == nil)
    try interpreter.run("x = 1")
    #expect(try interpreter.takeChangedFigure() == nil)
    try interpreter.run(Self.drawing)
    let figure = interpreter.evaluator.currentFigure.figure
    #expect(try interpreter.takeChangedFigure() == TextFigureRenderer.render(figure, width: 80, height: nil, colors: false))
    #expect(try interpreter.takeChangedFigure() == nil)
    #expect(interpreter.evaluator.currentFigure.figure == figure)
    try interpreter.run("figure()")
    #expect(try interpreter.takeChangedFigure() == nil, "a blank figure is not shown")
    try interpreter.run("plot([1, 2])\nshow()")
    #expect(try interpreter.takeChangedFigure() == nil, "show() already drew it")
  }
}
