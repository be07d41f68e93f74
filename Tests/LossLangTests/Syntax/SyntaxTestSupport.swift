@testable import LossLang

/// Parses `text` and renders it with ``ASTPrinter``, one statement per line.
func sexpr(_ text: String) throws -> String {
  ASTPrinter.render(try Parser.parse(SourceFile(path: "t.loss", text: text)))
}

/// Parses `text`, which must fail, and returns the rendered diagnostics.
func syntaxErrors(_ text: String) -> [String] {
  do {
    _ = try Parser.parse(SourceFile(path: "t.loss", text: text))
    return []
  } catch let error as LossLangError {
    return error.kind == .syntax ? error.diagnostics.map(\.description) : ["not a syntax error"]
  } catch {
    return ["unexpected error type"]
  }
}

/// Parses `text`, which must fail, and returns just the messages.
func syntaxMessages(_ text: String) -> [String] {
  do {
    _ = try Parser.parse(SourceFile(path: "t.loss", text: text))
    return []
  } catch let error as LossLangError {
    return error.diagnostics.map(\.message)
  } catch {
    return ["unexpected error type"]
  }
}

/// The source text a span covers.
func spanText(_ span: SourceSpan) -> String {
  String(decoding: span.file.bytes[span.start..<span.end], as: UTF8.self)
}
