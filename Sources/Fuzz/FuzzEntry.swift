import Foundation
import LossLang

/// libFuzzer entry point: parses and evaluates arbitrary bytes as LossLang source, or,
/// for an input starting with `@compile`, compiles it through the embedding API
/// (``CompileInput``).
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
    if let input = CompileInput(source) {
      guard let shared = preludeInterpreter else { return }
      input.run(in: shared)
      return
    }
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

/// A fuzz input for `Interpreter.compile`: declared inputs, then the expression.
///
/// ```
/// @compile
/// x: float32[2, 3]
/// y: float64[-3]
/// ---
/// sum(x * y)
/// ```
/// Any name, dtype and sizes are passed on as written (an unknown dtype is float32, a
/// size that is not an `Int` is skipped), so invalid, negative and overflowing shapes
/// reach `compile`. A loss that compiles is called on zeros with every input in `wrt`.
struct CompileInput {
  /// The declared inputs.
  let inputs: [String: TensorType]
  /// The expression.
  let source: String

  /// Reads an input starting with `@compile`, or nil for any other.
  init?(_ text: String) {
    guard text.hasPrefix("@compile\n") else { return nil }
    let body = text.dropFirst("@compile\n".count)
    let parts = body.split(separator: "\n---\n", maxSplits: 1, omittingEmptySubsequences: false)
    var inputs: [String: TensorType] = [:]
    for line in parts[0].split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = String(line[..<colon])
      let type = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      let open = type.firstIndex(of: "[") ?? type.endIndex
      let dtype = DType(rawValue: String(type[..<open])) ?? .float32
      let sizes = type[open...].dropFirst().prefix { $0 != "]" }.split(separator: ",")
      let shape = sizes.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      inputs[name] = TensorType(shape: shape, dtype: dtype)
    }
    self.inputs = inputs
    source = parts.count > 1 ? String(parts[1]) : ""
  }

  /// Compiles the expression and, if that succeeds, calls it on small zero inputs.
  func run(in interpreter: Interpreter) {
    guard let loss = try? interpreter.compile(source, inputs: inputs) else { return }
    var values: [String: Tensor] = [:]
    for (name, type) in inputs {
      let count = type.shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? .max : $0 * $1 }
      guard (0...(1 << 16)).contains(count), let zeros = try? Tensor([Double](repeating: 0, count: count), shape: type.shape, dtype: type.dtype)
      else { return }
      values[name] = zeros
    }
    _ = try? loss.valueAndGradient(values, wrt: inputs.keys.sorted())
    _ = try? loss.value(values)
  }
}
