import Foundation
import Testing

@testable import LossLang

/// A hostile corpus under the sandbox options: every case ends in a clear error within its
/// limit — never a crash or a hang — and the interpreter stays usable.
@Suite struct SandboxTests {
  static func sandbox(seconds: Double = 2) throws -> Interpreter {
    var options = Interpreter.Options.sandboxed
    options.limits.maxSeconds = seconds
    options.limits.maxTensorElements = 10_000_000
    options.limits.maxTotalBytes = 256 << 20
    let interp = try Interpreter(options: options)
    interp.output = { _ in }
    return interp
  }

  /// (name, source, a substring of the expected message).
  static let corpus: [(String, String, String)] = [
    ("huge zeros", "zeros(1e12)", "limit exceeded"),
    ("huge broadcast", "ones([100000, 1]) + ones([1, 100000])", "limit exceeded"),
    ("huge matmul", "ones([100000, 2]) @ ones([2, 100000])", "limit exceeded"),
    ("many allocations", "def grow() {\n  x = zeros(8000000)\n  keep = [x]\n  for i in 0..<1000 { keep = keep + [detach(x + i)] }\n  keep\n}\ngrow()", "allocation limit exceeded"),
    ("deep recursion", "def f(x) = f(x) + 1\nf(1)", "recursion depth exceeded"),
    ("mutual recursion", "def a(x) = b(x)\ndef b(x) = a(x)\na(0)", "recursion depth exceeded"),
    ("infinite loop", "t = 0\nfor i in 0..<1000000000000 { t = t + 1 }", "time limit exceeded"),
    ("infinite while", "t = 0\nwhile true { t += 1; if t < 0 { break } }", "time limit exceeded"),
    ("nested loops", "while true { while true { continue } }", "time limit exceeded"),
    ("path trick", "load(\"../../etc/passwd\")", "file access is disabled"),
    ("absolute path", "load_csv(\"/etc/passwd\")", "file access is disabled"),
    ("write", "save(\"/tmp/pwned.npy\", [1.0])", "file access is disabled"),
    ("import", "import \"/etc/passwd\"", "file access is disabled"),
    ("plugin", "load_plugin(\"/usr/lib/x86_64-linux-gnu/libm.so.6\")", "file access is disabled"),
    ("giant literal", "[" + Array(repeating: "1", count: 200_000).joined(separator: ",") + "] * 0 + zeros(20000000)", "limit exceeded"),
    ("nested brackets", String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000), "nested too deeply"),
    ("nested lists", String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), "nested too deeply"),
    ("huge range", "x = 0..<1e15", "limit exceeded"),
    ("huge one_hot", "one_hot([0.0], 1e12)", "limit exceeded"),
    ("arange", "arange(0, 1e11)", "limit exceeded"),
    ("huge bincount", "bincount([1e12])", "limit exceeded"),
    ("huge histc", "histc([1.0], bins=1e12)", "limit exceeded"),
    ("huge randperm", "randperm(1e12)", "limit exceeded"),
  ]

  @Test(.tags(.slow), arguments: corpus.map(\.0))
  func hostileInput(_ name: String) throws {
    let (_, source, message) = try #require(Self.corpus.first { $0.0 == name })
    // Only the cases meant to run out of time get a short time limit: on a loaded machine
    // the others must still reach their own limit first.
    let interp = try Self.sandbox(seconds: message.contains("time limit") ? 2 : 25)
    let start = Date()
    do {
      try interp.eval(source)
      Issue.record("\(name): ran to completion")
    } catch let e as LossLangError {
      #expect(e.message.contains(message), "\(name): \(e.message)")
    }
    #expect(Date().timeIntervalSince(start) < 30, "\(name) took too long")
    #expect((try? interp.eval("mse_loss([1.0, 2.0], [1.0, 3.0])"))?.number == 0.5, "\(name): interpreter unusable")
  }

  @Test func sandboxDefaults() {
    let options = Interpreter.Options.sandboxed
    #expect(!options.allowFileIO)
    #expect(options.limits.maxTensorElements == 100_000_000)
    #expect(options.limits.maxTotalBytes == 2 << 30)
    #expect(options.limits.maxCallDepth == 1_000)
    #expect(options.limits.maxSeconds == 10)
  }
}
