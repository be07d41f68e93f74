import LossLang

/// libFuzzer entry point: parses and evaluates arbitrary bytes as LossLang source.
///
/// Built only with `swift build --product Fuzz --sanitize=fuzzer` (see scripts/fuzz.sh);
/// in a plain build it links as an empty program. Everything lives in this one file: a
/// second file would stop the plain build from finding the target's `main`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  FuzzSession.shared.run(source)
  return 0
}

/// The interpreters the fuzzer feeds, and how one input is run.
///
/// An input that names a prelude function runs in one prelude interpreter kept for the
/// whole process (loading the prelude for every input would dominate the run time), and
/// the globals it bound are removed afterwards. Any other input runs in a fresh
/// interpreter without the prelude, which by the input's length also runs unfused or with
/// NaN checks, so those paths are fuzzed too. All are sandboxed, with limits tighter than
/// `Options.sandboxed`, so infinite loops and huge tensors end as errors long before
/// libFuzzer's -timeout and -rss_limit_mb would stop the run.
final class FuzzSession {
  /// The one session of the process.
  nonisolated(unsafe) static let shared = FuzzSession()

  /// The interpreter with the prelude, reused for inputs that call prelude functions.
  private let preludeInterpreter: Interpreter?
  /// Names of the prelude's functions, to decide which interpreter an input needs.
  private let preludeNames: [String]
  /// Global names present before any input ran (kept when cleaning up).
  private let baseBindings: Set<String>

  private init() {
    let interpreter = try? Self.makeInterpreter(prelude: true)
    preludeInterpreter = interpreter
    preludeNames = interpreter?.functions().filter { $0.origin == .prelude }.map(\.name) ?? []
    baseBindings = Set(interpreter?.bindings().map(\.name) ?? [])
  }

  /// A silent, sandboxed interpreter with or without the prelude.
  private static func makeInterpreter(prelude: Bool, fusion: Bool = true, checkFinite: Bool = false) throws
    -> Interpreter
  {
    var options = Interpreter.Options.sandboxed
    options.loadPrelude = prelude
    options.fusion = fusion
    options.checkFinite = checkFinite
    options.limits.maxTensorElements = 1 << 20
    options.limits.maxTotalBytes = 256 << 20
    options.limits.maxSeconds = 1
    let interpreter = try Interpreter(options: options)
    interpreter.output = { _ in }
    return interpreter
  }

  /// Runs one input to completion or error, ignoring the outcome.
  func run(_ source: String) {
    if let shared = preludeInterpreter, preludeNames.contains(where: { source.contains($0) }) {
      _ = try? shared.run(source, path: "<fuzz>")
      for binding in shared.bindings() where !baseBindings.contains(binding.name) {
        shared.unbind(binding.name)
      }
      return
    }
    let length = source.utf8.count
    guard let fresh = try? Self.makeInterpreter(prelude: false, fusion: length % 2 == 0, checkFinite: length % 3 == 0)
    else { return }
    _ = try? fresh.run(source, path: "<fuzz>")
  }
}
