import LossLang

/// libFuzzer entry point: parses and evaluates arbitrary bytes as LossLang source.
///
/// Built only with `swift build --product Fuzz --sanitize=fuzzer` (see scripts/fuzz.sh);
/// in a plain build it links as an empty program.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let interpreter = try? Interpreter(loadPrelude: false) else { return 0 }
  interpreter.output = { _ in }
  _ = try? interpreter.run(source, path: "<fuzz>")
  return 0
}
