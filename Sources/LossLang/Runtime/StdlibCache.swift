/// The embedded standard library, parsed once per process and shared by every interpreter
/// (syntax trees are immutable), so creating an interpreter only runs the definitions.
enum StdlibCache {
  /// Parsed statements of each embedded module, by file name.
  static let parsed: [String: Result<[Stmt], LossLangError>] = {
    var out: [String: Result<[Stmt], LossLangError>] = [:]
    for (name, text) in EmbeddedStdlib.modules {
      let file = SourceFile(path: "\(Evaluator.stdlibDirectory)/\(name)", text: text)
      do { out[name] = .success(try Parser.parse(file)) } catch let e as LossLangError {
        out[name] = .failure(e)
      } catch {
        out[name] = .failure(LossLangError(.syntax, "\(error)"))
      }
    }
    return out
  }()

  /// The statements of an embedded module, or nil if there is no such module.
  static func statements(_ name: String) throws -> [Stmt]? {
    try parsed[name]?.get()
  }
}
