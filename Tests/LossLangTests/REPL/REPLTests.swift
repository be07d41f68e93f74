import Foundation
import Testing

/// End-to-end tests of the interactive REPL: the built `losslang` driven through a
/// pseudo-terminal, as a person at a keyboard would (prompts, completion, history,
/// Ctrl-C, Ctrl-D), plus standard input that is not a terminal.
@Suite(.tags(.spawnsProcess)) struct REPLTests {
  /// A fresh scratch directory.
  static func scratchDirectory() throws -> URL {
    try TestScratch.subdirectory("repl-")
  }

  /// Starts the REPL in `directory` with the history file `history` and command-line
  /// `arguments`, and waits for its prompt.
  func start(
    history: URL? = nil, directory: URL? = nil, arguments: [String] = [], extraEnvironment: [String: String] = [:]
  ) throws -> PseudoTerminal {
    let binary = try #require(lossLangBinary, "losslang binary not found")
    let home = try Self.scratchDirectory()
    var environment = [
      "TERM": "dumb", "HOME": home.path, "INPUTRC": "/dev/null", "LANG": "C.UTF-8",
      "LOSSLANG_HISTORY": (history ?? home.appendingPathComponent("history")).path,
    ]
    // Under `swift test --sanitize=address` the REPL is built with ASan too; keep the
    // caller's options (detect_leaks=0), or false leak reports change its exit status.
    environment["ASAN_OPTIONS"] = ProcessInfo.processInfo.environment["ASAN_OPTIONS"]
    environment.merge(extraEnvironment) { $1 }
    let terminal = try PseudoTerminal(
      executable: binary.path, arguments: arguments, environment: environment, directory: (directory ?? home).path)
    try terminal.expect("loss> ")
    return terminal
  }

  /// Types one line and waits for the next prompt; the output in between.
  @discardableResult
  func enter(_ line: String, in terminal: PseudoTerminal) throws -> String {
    terminal.send(line + "\n")
    return try terminal.expect("loss> ")
  }

  @Test func definesABindingAndShowsALoss() throws {
    let t = try start()
    try enter("x = [1.0, 2.0]", in: t)
    #expect(try enter("mse_loss(x, [1.0, 3.0])", in: t).contains("\n0.5\n"))
    #expect(try enter("_ * 4", in: t).contains("\n2.0\n"))
    #expect(try enter("x", in: t).contains("tensor([1., 2.])"))
  }

  @Test func anErrorDoesNotEndTheSession() throws {
    let t = try start()
    let syntax = try enter("y = (2 +* 3)", in: t)
    #expect(syntax.contains("<repl>:1:9: error: "), "\(syntax)")
    #expect(syntax.contains("y = (2 +* 3)\n        ^"), "\(syntax)")
    let runtime = try enter("[1.0, 2.0] + [1.0, 2.0, 3.0]", in: t)
    #expect(runtime.contains("error: shapes [2] and [3] cannot be broadcast"), "\(runtime)")
    #expect(try enter("1 + 1", in: t).contains("\n2\n"))
  }

  @Test func continuesWhileBracketsAreOpen() throws {
    let t = try start()
    t.send("def g(a,\n")
    try t.expect("  ... ")
    t.send("b) =\n")
    try t.expect("  ... ")
    try enter("a * b", in: t)
    #expect(try enter("g(6, 7)", in: t).contains("\n42\n"))
  }

  @Test func dictLiteralsContinueAndFStringsFormat() throws {
    let t = try start()
    t.send("d = {\"w\": [1.0, 2.0],\n")
    try t.expect("  ... ")
    try enter("\"b\": 0.5}", in: t)
    #expect(try enter("d", in: t).contains("{\"w\": tensor([1., 2.]), \"b\": 0.5}"))
    #expect(try enter("grad(sum(d[\"w\"] * d[\"b\"]), d)[\"b\"]", in: t).contains("\n3.0\n"))
    #expect(try enter("f\"{d[\"b\"]:.3f}|{7:03d}\"", in: t).contains("\"0.500|007\""))
  }

  @Test func completesAUniquePrefixAndAKeywordArgument() throws {
    let t = try start()
    try enter("x = [0.5, -1.0]", in: t)
    t.send("sigmoid_fo\t")
    try t.expect("sigmoid_focal_loss")
    t.send("(x, x, ga\t")
    try t.expect("gamma=")
    let out = try enter("1.0)", in: t)
    #expect(out.contains("tensor(["), "\(out)")
    #expect(t.cleaned.contains("loss> sigmoid_focal_loss(x, x, gamma=1.0)\n"), "\(t.cleaned)")
  }

  @Test func helpShowsTheArguments() throws {
    let t = try start()
    t.send(":he\t")
    try t.expect(":help ")
    let out = try enter("sigmoid_focal_loss", in: t)
    #expect(out.contains("sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction=\"none\")"), "\(out)")
    #expect(out.contains("torchvision"), "\(out)")
  }

  @Test func historyIsRecalledAfterARestart() throws {
    let history = try Self.scratchDirectory().appendingPathComponent("history")
    let first = try start(history: history)
    try enter("z = 41 + 1", in: first)
    first.send("def g(a,\n")
    try first.expect("  ... ")
    try enter("b) = a * b", in: first)
    first.send("\u{4}")
    #expect(try first.waitForExit() == 0)
    let saved = try String(contentsOf: history, encoding: .utf8)
    #expect(saved == "z = 41 + 1\ndef g(a,\\nb) = a * b\n")

    let second = try start(history: history)
    second.send("\u{1b}[A")
    try second.expect("b) = a * b")  // the multi-line entry comes back whole
    try enter("", in: second)
    second.send("\u{1b}[A\u{1b}[A")
    try second.expect("z = 41 + 1")
    try enter("", in: second)
    #expect(try enter("g(z, 1)", in: second).contains("\n42\n"))
  }

  @Test func historyFileIsCappedAndDecoded() throws {
    let history = try Self.scratchDirectory().appendingPathComponent("history")
    let old = (0..<10_010).map { "n\($0) = \($0)" }
    try (old + ["s = \"a\\\\nb\""]).joined(separator: "\n").appending("\n")
      .write(to: history, atomically: true, encoding: .utf8)
    let t = try start(history: history)
    t.send("\u{1b}[A")
    try t.expect("s = \"a\\nb\"")  // an escaped backslash is not a newline
    t.send("\u{15}\u{4}")  // Ctrl-U empties the line, Ctrl-D then exits
    #expect(try t.waitForExit() == 0)
    let lines = try String(contentsOf: history, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 10_000)
    #expect(lines.first == "n11 = 11")
  }

  @Test func ctrlCInterruptsALongEvaluation() throws {
    let t = try start()
    try enter("keep = 7", in: t)
    t.send("for i in 0..<100000000 { z = i }\n")
    try t.expect("{ z = i }\n")
    var interrupted = false
    for _ in 0..<20 where !interrupted {
      t.send("\u{3}")
      interrupted = (try? t.expect("interrupted", timeout: 0.5)) != nil
    }
    #expect(interrupted, "\(t.unconsumed())")
    try t.expect("loss> ")
    #expect(try enter("keep", in: t).contains("\n7\n"))
  }

  @Test func ctrlCAbandonsTheLine() throws {
    let t = try start()
    t.send("1 +\n")
    try t.expect("  ... ")
    t.send("2 +\u{3}")
    try t.expect("loss> ")
    #expect(try enter("3", in: t).contains("\n3\n"))
  }

  @Test func ctrlDOnAnEmptyLineExitsZero() throws {
    let t = try start()
    t.send("\u{4}")
    #expect(try t.waitForExit() == 0)
  }

  @Test func commandsDescribeTheSession() throws {
    let t = try start()
    try enter("x = [1.0, 2.0]", in: t)
    #expect(try enter(":vars", in: t).contains("x  tensor float32 (2,)"))
    #expect(try enter(":type x * 2.0", in: t).contains("tensor float32 (2,)"))
    let losses = try enter(":losses", in: t)
    #expect(losses.contains("regression"), "\(losses)")
    #expect(losses.contains("mse_loss"), "\(losses)")
    #expect(!losses.contains("warmup_cosine_schedule") && !losses.contains("init_linear"), "training helpers are not losses: \(losses)")
    let graph = try enter(":graph mse_loss(x, [1.0, 3.0])", in: t)
    #expect(graph.contains("value:") && graph.contains("∂/∂x:"), "\(graph)")
    #expect(try enter(":time mse_loss(x, x)", in: t).contains("median "))
    #expect(try enter(":nonsense", in: t).contains("unknown command ':nonsense'"))
  }

  /// `:plan` shows the kernels of a value and of its gradient; a missing or bad expression
  /// gets a clear error, and the session goes on.
  @Test func planShowsTheFusedKernels() throws {
    let t = try start()
    try enter("x = randn([4, 5], seed=1)", in: t)
    let plan = try enter(":plan sum(exp(x) * 2.0)", in: t)
    #expect(plan.contains("value:") && plan.contains("step 1: kernel over float32 [4, 5]"), "\(plan)")
    #expect(plan.contains("leaves: %0 = x float32 [4, 5]"), "\(plan)")
    #expect(plan.contains("= exp r") && plan.contains("sum r"), "\(plan)")
    #expect(plan.contains("gradient (roots in order: ∂/∂x):"), "\(plan)")
    #expect(try enter(":plan", in: t).contains("error: usage: :plan EXPR"))
    #expect(try enter(":plan sum(x", in: t).contains("error: "))
    #expect(try enter(":plan \"x\"", in: t).contains("a plan needs a tensor expression, got a string"))
    #expect(try enter(":plan nope(x)", in: t).contains("undefined name 'nope'"))
    #expect(try enter("1 + 2", in: t).contains("\n3\n"))
  }

  /// `:plan` of a list plans its items together, as evaluating the list computes them: a
  /// loss and its gradient share the kernels reading x (one kernel computes exp(x) for both).
  @Test func planOfAListPlansTheItemsTogether() throws {
    let t = try start()
    try enter("x = randn([4, 5], seed=1)", in: t)
    let plan = try enter(":plan [sum(exp(x) * 2.0), grad(sum(exp(x) * 2.0), x)]", in: t)
    #expect(plan.contains("list (items planned together, roots in order):"), "\(plan)")
    #expect(plan.contains("step 1: kernel over float32 [4, 5]") && !plan.contains("step 2:"), "\(plan)")
    #expect(plan.contains("sum r") && plan.contains("store r"), "\(plan)")
    #expect(!plan.contains("gradient (roots in order"), "\(plan)")
    #expect(try enter(":plan [x, \"a\"]", in: t).contains("error: a plan of a list needs tensors, got a string in it"))
    #expect(try enter("1 + 2", in: t).contains("\n3\n"))
  }

  /// `:plan` names column outputs: clip_loss's column log-sum-exp is computed in the pass
  /// over the logits, beside the row log-sum-exp.
  @Test func planShowsColumnOutputs() throws {
    let t = try start()
    try enter("a = randn([20, 4], seed=1)", in: t)
    try enter("b = randn([20, 4], seed=2)", in: t)
    let plan = try enter(":plan clip_loss(a, b)", in: t)
    #expect(plan.contains("colmax r") && plan.contains("colsumexp r") && plan.contains("rowsumexp r"), "\(plan)")
  }

  @Test func graphWritesGraphviz() throws {
    let directory = try Self.scratchDirectory()
    let t = try start(directory: directory)
    try enter("x = [1.0, 2.0]", in: t)
    #expect(try enter(":graph sum(x^2) > g.dot", in: t).contains("wrote "))
    let dot = try String(contentsOf: directory.appendingPathComponent("g.dot"), encoding: .utf8)
    #expect(dot.hasPrefix("digraph losslang {"))
    #expect(dot.contains("∂/∂x"))
  }

  /// `> FILE.svg` runs Graphviz's dot on the DOT text: a real SVG picture of the graph.
  @Test func graphDrawsSVGWithGraphviz() throws {
    let path = try #require(ProcessInfo.processInfo.environment["PATH"])
    try #require(path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/dot") })
    let directory = try Self.scratchDirectory()
    let t = try start(directory: directory, extraEnvironment: ["PATH": path])
    try enter("x = [1.0, 2.0]", in: t)
    #expect(try enter(":graph sum(x^2) > g.svg", in: t).contains("wrote "))
    let svg = try String(contentsOf: directory.appendingPathComponent("g.svg"), encoding: .utf8)
    #expect(svg.contains("<svg") && svg.contains("</svg>"), "\(svg.prefix(200))")
    #expect(svg.contains("∂/∂x"), "the gradient's root is drawn with its label")
    let missing = try enter(":graph sum(x^2) > nowhere/g.svg", in: t)
    #expect(missing.contains("error: cannot write 'nowhere/g.svg': dot failed"), "\(missing)")
  }

  /// Without dot the command says how to install it, and writes nothing.
  @Test func graphSaysHowToInstallGraphviz() throws {
    let directory = try Self.scratchDirectory()
    let t = try start(directory: directory, extraEnvironment: ["PATH": directory.path])
    let out = try enter(":graph sum([1.0, 2.0]^2) > g.svg", in: t)
    #expect(out.contains("Graphviz's 'dot' was not found on PATH; install Graphviz"), "\(out)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("g.svg").path))
    #expect(try enter(":graph sum([1.0, 2.0]^2) > g.dot", in: t).contains("wrote "))
  }

  @Test func loadCompletesPathsAndKeepsDefinitions() throws {
    let directory = try Self.scratchDirectory()
    try "def twice(v) = 2 * v\n".write(
      to: directory.appendingPathComponent("mylosses.loss"), atomically: true, encoding: .utf8)
    let t = try start(directory: directory)
    t.send(":load myl\t")
    try t.expect("mylosses.loss")
    #expect(try enter("", in: t).contains("loaded mylosses.loss"))
    #expect(try enter("twice(21)", in: t).contains("\n42\n"))
    try enter(":reset", in: t)
    #expect(try enter("twice(21)", in: t).contains("undefined name 'twice'"))
    t.send("import \"myl\t")  // inside a string: a path, and the quote is closed
    try t.expect("import \"mylosses.loss\"")
    try enter("", in: t)  // imports resolve against the working directory
    #expect(try enter("twice(2)", in: t).contains("\n4\n"))
  }

  /// Under `--sandbox` the commands that touch files refuse, and no path is completed.
  @Test func sandboxKeepsCommandsAwayFromFiles() throws {
    let directory = try Self.scratchDirectory()
    try "print(\"ran\")\n".write(to: directory.appendingPathComponent("mylosses.loss"), atomically: true, encoding: .utf8)
    let t = try start(directory: directory, arguments: ["--sandbox"])
    let load = try enter(":load /etc/passwd", in: t)
    #expect(load.contains(":load: file access is disabled in this interpreter") && !load.contains("root"), "\(load)")
    #expect(!(try enter(":load mylosses.loss", in: t)).contains("ran"))
    let graph = try enter(":graph sum([1.0, 2.0]^2) > g.dot", in: t)
    #expect(graph.contains(":graph: file access is disabled in this interpreter"), "\(graph)")
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("g.dot").path))
    // No completion: the word stays as typed, after `:load` and inside a string.
    t.send(":load myl\t\t\n")
    let typed = try t.expect("loss> ")
    #expect(typed.contains(":load: file access is disabled") && !typed.contains("mylosses"), "\(typed)")
    t.send("x = \"myl\t\t\"\n")
    try t.expect("loss> ")
    let x = try enter("x", in: t)
    #expect(x.contains("myl") && !x.contains("mylosses"), "\(x)")
  }

  @Test func pipedInputRunsAsAScriptWithoutPrompts() throws {
    let r = try runLossLang([], stdin: "print(mse_loss([1.0,2.0],[1.0,3.0]))\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "0.5\n")
    #expect(!r.stderr.contains("loss>"))
  }
}
