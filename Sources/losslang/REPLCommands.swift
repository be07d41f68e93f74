import Foundation
import LossLang

/// The REPL's `:commands`: help, listings, types, graphs, timing, loading and resetting.
extension REPL {
  /// One command, as listed by `:help`.
  struct Command {
    /// The full name, such as `:graph`.
    let name: String
    /// Shorter spellings (`:g`).
    let aliases: [String]
    /// How to call it (`:graph EXPR [> FILE.dot]`).
    let usage: String
    /// What it does, in one line.
    let summary: String
  }

  /// Every command, in `:help` order.
  static let commands = [
    Command(name: ":help", aliases: [":h", ":?"], usage: ":help [NAME]",
            summary: "this overview, or the signature and doc of NAME (as help(\"NAME\"))"),
    Command(name: ":losses", aliases: [], usage: ":losses",
            summary: "the standard losses by family: name, signature, summary"),
    Command(name: ":vars", aliases: [], usage: ":vars", summary: "your bindings with their shapes and dtypes"),
    Command(name: ":type", aliases: [":t"], usage: ":type EXPR",
            summary: "the type, shape and dtype of EXPR (traced, not computed)"),
    Command(name: ":graph", aliases: [":g"], usage: ":graph EXPR [> FILE.dot | FILE.svg]",
            summary: "the computation graph of EXPR and of its gradient (or Graphviz DOT, or SVG via dot)"),
    Command(name: ":plan", aliases: [], usage: ":plan EXPR",
            summary: "the plans computing EXPR and its gradient (a list: its items together): fused kernels, row chains, primitives"),
    Command(name: ":derive", aliases: [], usage: ":derive EXPR wrt NAME",
            summary: "dy/dx as a LossLang expression (as derive(EXPR, NAME))"),
    Command(name: ":time", aliases: [], usage: ":time EXPR", summary: "how long EXPR takes: median and spread"),
    Command(name: ":load", aliases: [":l"], usage: ":load FILE", summary: "run a .loss file in this session"),
    Command(name: ":reset", aliases: [], usage: ":reset", summary: "forget every binding (a fresh session)"),
    Command(name: ":quit", aliases: [":q", ":exit"], usage: ":quit", summary: "leave the REPL (or Ctrl-D on an empty line)"),
  ]

  /// The command a name or alias refers to.
  static func command(named name: String) -> Command? {
    commands.first { $0.name == name || $0.aliases.contains(name) }
  }

  /// Runs one command line such as `:type x + 1`.
  func runCommand(_ line: String) {
    let name = String(line.prefix { !$0.isWhitespace })
    let argument = line.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    guard let command = Self.command(named: name) else {
      Console.err("error: unknown command '\(name)' (:help lists the commands)\n")
      return
    }
    let needsArgument = command.usage.contains(" ") && !command.usage.contains("[")
    if needsArgument, argument.isEmpty {
      Console.err("error: usage: \(command.usage)\n")
      return
    }
    attempt {
      switch command.name {
      case ":help": help(argument)
      case ":losses": Console.out(lossTable())
      case ":vars": Console.out(variables())
      case ":type": Console.out(try whileInterruptible { try interpreter.summary(of: argument) }.description + "\n")
      case ":graph": try graph(argument)
      case ":plan": Console.out(try whileInterruptible { try interpreter.plan(of: argument) } + "\n")
      case ":derive": try derive(argument)
      case ":time": Console.out(try whileInterruptible { try interpreter.time(argument) }.description + "\n")
      case ":load": try load(argument)
      case ":reset":
        try reset()
        Console.out("fresh session: every binding forgotten\n")
      default: shouldQuit = true
      }
    }
  }

  /// `:help` and `:help NAME`.
  private func help(_ name: String) {
    if name.isEmpty {
      var text = "Type a LossLang expression or statement to run it; `_` holds the last value.\n"
      text += "An input continues (\(Self.continuationPrompt.trimmingCharacters(in: .whitespaces))) "
      text += "while brackets are open or a line ends in an operator.\n\nCommands:\n"
      let width = Self.commands.map(\.usage.count).max() ?? 0
      for c in Self.commands { text += "  " + c.usage.padding(width) + "  " + c.summary + "\n" }
      text += """

        Keys: Tab completes names, keyword arguments (f(x, ga<Tab> gives gamma=) and file paths;
        Up/Down recall history; Ctrl-C abandons the line or stops a running evaluation.
        help(name) or :help NAME documents a function; :losses lists the standard losses.

        """
      Console.out(text)
    } else if let command = Self.command(named: name.hasPrefix(":") ? name : ":" + name), name.hasPrefix(":") {
      Console.out(command.usage + "\n  " + command.summary + "\n")
    } else if let text = interpreter.helpText(for: name) {
      Console.out(text + "\n")
    } else if let binding = interpreter.bindings().first(where: { $0.name == name }) {
      Console.out("\(name): \(binding.summary)\n")
    } else {
      Console.err("error: no function or binding named '\(name)'\n")
    }
  }

  /// `:losses`: the prelude's losses and helpers, native and plugin losses, by family; the
  /// prelude's training modules (schedules, layers) are not losses and stay out.
  func lossTable() -> String {
    let training: Set = ["schedules", "layers"]
    let all = interpreter.functions().filter {
      ($0.origin == .prelude || $0.origin == .plugin || $0.category == "loss") && !training.contains($0.family)
    }
    let aliases = all.filter { $0.aliasOf != nil }
    let functions = all.filter { $0.aliasOf == nil }
    let known = ["regression", "classification", "embedding", "sequence", "preference", "multitask"]
    let families = Set(functions.map(\.family)).sorted { a, b in
      let (ia, ib) = (rank(a, known), rank(b, known))
      return ia != ib ? ia < ib : a < b
    }
    // Each loss as its signature, then its summary indented below, cut to the screen.
    let room = editor.screenWidth - 7
    var text = ""
    for family in families {
      text += (family == "common" ? "helpers" : family) + "\n"
      for f in functions where f.family == family {
        text += "  " + f.name + f.signature.drop { $0 != "(" } + "\n"
        var summary = f.summary
        if summary.count > room { summary = summary.prefix(max(10, room - 1)) + "…" }
        if !summary.isEmpty { text += "      " + summary + "\n" }
      }
      text += "\n"
    }
    if !aliases.isEmpty {
      text += "aliases: " + aliases.map { "\($0.name) = \($0.aliasOf ?? "")" }.joined(separator: ", ") + "\n"
    }
    return text.isEmpty ? "(no losses loaded: started with --no-prelude)\n" : text
  }

  /// A family's place: the known ones in order, then others, then the helpers.
  private func rank(_ family: String, _ known: [String]) -> Int {
    if let i = known.firstIndex(of: family) { return i }
    return family == "common" ? known.count + 1 : known.count
  }

  /// `:vars`: each user binding with its kind, shape and dtype.
  func variables() -> String {
    let bindings = interpreter.bindings().filter { b in
      !(b.name == "args" && b.summary.kind == .list && b.summary.itemCount == 0)
    }
    guard !bindings.isEmpty else { return "(no bindings yet)\n" }
    let width = bindings.map(\.name.count).max() ?? 0
    return bindings.map { "  " + $0.name.padding(width) + "  " + $0.summary.description + "\n" }.joined()
  }

  /// `:graph EXPR` prints the trees; `:graph EXPR > file.dot` writes Graphviz DOT, and
  /// `> file.svg` the picture Graphviz's `dot` draws from it (when `dot` is installed).
  private func graph(_ argument: String) throws {
    var expression = argument
    var target: String?
    if let arrow = argument.range(of: ">", options: .backwards) {
      let file = argument[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
      if file.hasSuffix(".dot") || file.hasSuffix(".svg"), !file.contains(" ") {
        target = (file as NSString).expandingTildeInPath
        expression = String(argument[..<arrow.lowerBound])
      }
    }
    if target != nil { try checkFileAccess(":graph") }
    let renderer = try target.flatMap { file throws -> String? in
      guard file.hasSuffix(".svg") else { return nil }
      guard let dot = GraphvizDot.executable() else { throw LossLangError(.runtime, ":graph: " + GraphvizDot.installHint) }
      return dot
    }
    let report = try whileInterruptible { try interpreter.graph(of: expression) }
    guard let target else {
      Console.out(report.text + "\n")
      return
    }
    if let renderer {
      try GraphvizDot.writeSVG(report.dot, to: target, using: renderer)
    } else {
      do {
        try report.dot.write(toFile: target, atomically: true, encoding: .utf8)
      } catch {
        throw LossLangError(.io, "cannot write '\(target)': \(error.localizedDescription)")
      }
    }
    Console.out("wrote \(report.nodeCount) nodes to \(target)\n")
  }

  /// `:derive EXPR wrt NAME` prints the derivative's text.
  private func derive(_ argument: String) throws {
    guard let wrt = argument.range(of: " wrt ", options: .backwards) else {
      throw LossLangError(.usage, "usage: :derive EXPR wrt NAME")
    }
    let name = argument[wrt.upperBound...].trimmingCharacters(in: .whitespaces)
    let expression = String(argument[..<wrt.lowerBound])
    Console.out(try whileInterruptible { try interpreter.derivative(of: expression, wrt: name) } + "\n")
  }

  /// `:load FILE`: runs a script in this session's environment.
  private func load(_ argument: String) throws {
    try checkFileAccess(":load")
    var path = argument
    if path.count >= 2, let first = path.first, first == "\"" || first == "'", path.last == first {
      path = String(path.dropFirst().dropLast())
    }
    path = (path as NSString).expandingTildeInPath
    _ = try whileInterruptible { try interpreter.runFile(path) }
    Console.out("loaded \(path)\n")
  }

  /// Throws unless the session may touch files (not under `--sandbox`), as the file builtins do.
  private func checkFileAccess(_ command: String) throws {
    guard interpreter.options.allowFileIO else {
      throw LossLangError(.runtime, "\(command): file access is disabled in this interpreter")
    }
  }
}

extension String {
  /// The string padded with spaces on the right to `width` characters.
  func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
