import Foundation

/// `import "file.loss"`: finds a module, parses it and runs it in the importing scope, once.
extension Evaluator {
  /// The virtual directory of the embedded standard library, as shown in messages.
  static let stdlibDirectory = "<stdlib>"

  /// Imports `path`, relative to the importing file, then each directory of `searchPaths`.
  func importFile(_ path: String, from span: SourceSpan, into env: Environment) throws {
    let importer = span.file.path
    let (key, text) = try locate(path, importer: importer)
    if imported.contains(key) { return }
    guard !importing.contains(key) else {
      throw LossLangError(.runtime, "import cycle: \((importing + [key]).joined(separator: " -> "))")
    }
    importing.append(key)
    defer { importing.removeLast() }
    let prefix = Self.stdlibDirectory + "/"
    let cached = key.hasPrefix(prefix) ? try StdlibCache.statements(String(key.dropFirst(prefix.count))) : nil
    let statements = try cached ?? Parser.parse(SourceFile(path: key, text: text))
    try run(statements, in: env)
    imported.insert(key)
  }

  /// Throws unless the interpreter may touch files (`Options.allowFileIO`).
  func checkFileAccess(_ what: String) throws {
    guard allowFileIO else { throw LossLangError(.runtime, "\(what): file access is disabled in this interpreter") }
  }

  /// The canonical name and text of a module.
  private func locate(_ path: String, importer: String) throws -> (String, String) {
    if importer.hasPrefix(Self.stdlibDirectory), let text = stdlibModules[path] {
      return ("\(Self.stdlibDirectory)/\(path)", text)
    }
    if !allowFileIO, let text = stdlibModules[path] { return ("\(Self.stdlibDirectory)/\(path)", text) }
    try checkFileAccess("import")
    var candidates: [String] = []
    if path.hasPrefix("/") {
      candidates.append(path)
    } else {
      let base = importer.hasPrefix("<") ? FileManager.default.currentDirectoryPath
        : (importer as NSString).deletingLastPathComponent
      candidates.append(base.isEmpty ? path : base + "/" + path)
      for dir in searchPaths where !dir.isEmpty { candidates.append(dir + "/" + path) }
    }
    for c in candidates where FileManager.default.fileExists(atPath: c) {
      let url = URL(fileURLWithPath: c).standardizedFileURL
      do {
        return (url.path, String(decoding: try FileReader.read(path: url.path), as: UTF8.self))
      } catch let e as TensorError {
        throw e.located()
      }
    }
    if let text = stdlibModules[path] { return ("\(Self.stdlibDirectory)/\(path)", text) }
    throw LossLangError(.io, "cannot find module '\(path)' (looked in: \(candidates.joined(separator: ", ")))")
  }
}
