import Foundation

/// The figure's outputs: `show` (text on the interpreter's output) and `savefig` (an SVG
/// file, under the same file-access policy as `save`).
extension Builtins {
  static func registerShow(in r: Registry) {
    r.builtin("show", [], category: "pictures",
              doc: "show(): draws the current figure as text (braille lines and points, block bars, tick labels, title, legend; colours only when the output is a terminal), as wide as figure(width=) or else the terminal (80 columns when not a terminal), then closes it as plt.show() does: later drawing starts a new figure. Shows nothing when nothing was drawn.") { a in
      let figure = a.evaluator.currentFigure.close()
      if !figure.isBlank { a.evaluator.output(a.evaluator.text(of: figure)) }
      return .none
    }
    r.builtin("savefig", ["path"], category: "pictures",
              doc: "savefig(path): writes the current figure to path as a standalone SVG file (the path must end in .svg and its directory exist); the figure stays current.") { a in
      let path = try a.string(0)
      try a.evaluator.checkFileAccess("savefig")
      guard path.lowercased().hasSuffix(".svg") else {
        throw a.error(0, "must name an .svg file (savefig writes SVG only), got '\(path)'")
      }
      let directory = (path as NSString).deletingLastPathComponent
      var isDirectory: ObjCBool = false
      guard directory.isEmpty || FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue else {
        throw LossLangError(.io, "savefig: cannot write '\(path)': '\(directory)' is not an existing directory")
      }
      let svg = SVGFigureRenderer.render(a.evaluator.currentFigure.figure)
      try NpyFormat.writeFile(Array(svg.utf8), path: path)
      return .none
    }
  }
}

extension Evaluator {
  /// `figure` drawn as text for ``output``: as wide as `figure(width=)`, else the terminal
  /// (``outputColumns``), else 80 columns; in colour only when the output is a terminal.
  func text(of figure: Figure) -> String {
    TextFigureRenderer.render(figure, width: figure.width ?? outputColumns ?? 80, height: figure.height, colors: outputIsTerminal)
  }
}
