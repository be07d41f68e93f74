import Foundation
import Testing

/// The library's folders are layers (DESIGN.md): a file names only types of its own layer or
/// of the layers below it.
@Suite struct LayerDirectionTests {
  /// The layers each layer may use, besides itself (DESIGN.md: Core under all;
  /// Tensor <- Kernel <- Execution <- Plan <- IR <- Runtime; Syntax on Core alone).
  /// Training and Pictures (v2) sit side by side above IR and below Runtime: they work on
  /// tensors and graphs, and Runtime binds them to LossLang values.
  static let allowed: [String: Set<String>] = {
    let stack = ["Core", "Tensor", "Kernel", "Execution", "Plan", "IR"]
    var allowed: [String: Set<String>] = [:]
    for (i, layer) in stack.enumerated() { allowed[layer] = Set(stack[..<i]) }
    allowed["Syntax"] = ["Core"]
    allowed["Training"] = Set(stack)
    allowed["Pictures"] = Set(stack)
    allowed["Runtime"] = Set(stack + ["Syntax", "Training", "Pictures"])
    return allowed
  }()

  /// The layers that exist from v1 on; Training and Pictures appear as v2 fills them.
  static let requiredLayers: Set<String> = ["Core", "Tensor", "Kernel", "Execution", "Plan", "IR", "Syntax", "Runtime"]

  static let library = repositoryRoot.appendingPathComponent("Sources/LossLang")

  @Test func everyFileNamesOnlyItsOwnAndLowerLayers() throws {
    let files = try LayerSources(root: Self.library)
    #expect(Set(files.layers).isSubset(of: Self.allowed.keys), "every folder of Sources/LossLang is a layer DESIGN.md names")
    #expect(Self.requiredLayers.isSubset(of: Set(files.layers)), "the layers of v1 are all there")
    try #require(files.declarations.count > 100, "the scan found the library's types")
    var violations: [String] = []
    for file in files.files {
      guard let allowed = Self.allowed[file.layer] else { continue }
      for name in file.referencedTypeNames {
        guard let owner = files.declarations[name], owner != file.layer, !allowed.contains(owner) else { continue }
        violations.append("\(file.path) (\(file.layer)) names \(name) (\(owner))")
      }
    }
    #expect(violations.isEmpty, "\(violations.sorted().joined(separator: "\n"))")
  }

  @Test func theScanSeesAReferenceThroughCommentsAndStrings() {
    let source = """
      /// Mentions Interpreter in a comment, and in "a string with Interpreter".
      struct Probe { let kind: Kind; enum Kind { case a }; let x: Interpreter? }
      """
    let names = LayerSources.File(path: "Probe.swift", layer: "Tensor", text: source).referencedTypeNames
    #expect(names.contains("Interpreter"))
    #expect(!names.contains("Kind"), "a type nested in the same file is its own")
    let commentOnly = LayerSources.File(path: "C.swift", layer: "Tensor", text: "// Interpreter\nlet s = \"Interpreter\"")
    #expect(!commentOnly.referencedTypeNames.contains("Interpreter"))
  }
}

/// The Swift files of the library by layer, with the top-level types each declares.
struct LayerSources {
  /// One source file.
  struct File {
    let path: String
    let layer: String
    let text: String

    /// Capitalized identifiers used in code (comments and string literals removed),
    /// except those naming types this file declares itself.
    var referencedTypeNames: Set<String> {
      let code = Self.codeOnly(text)
      let used = Set(Self.matches(#"\b[A-Z][A-Za-z0-9_]*\b"#, in: code, group: 0))
      let own = Set(Self.matches(#"\b(?:class|struct|enum|protocol|typealias|actor)\s+([A-Z]\w*)"#, in: code, group: 1))
      return used.subtracting(own)
    }

    /// Top-level type declarations (at the start of a line).
    var topLevelTypes: [String] {
      Self.matches(
        #"(?m)^(?:(?:public|internal|private|fileprivate|final|indirect)\s+)*(?:class|struct|enum|protocol|typealias|actor)\s+([A-Z]\w*)"#,
        in: Self.codeOnly(text), group: 1)
    }

    /// The text with comments and string literals blanked.
    static func codeOnly(_ text: String) -> String {
      var s = text
      for pattern in [#"(?s)/\*.*?\*/"#, #"//[^\n]*"#, #"(?s)\"\"\".*?\"\"\""#, #""(?:\\.|[^"\\\n])*""#] {
        s = s.replacingOccurrences(of: pattern, with: "\"\"", options: .regularExpression)
      }
      return s
    }

    static func matches(_ pattern: String, in text: String, group: Int) -> [String] {
      guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
      let range = NSRange(text.startIndex..., in: text)
      return regex.matches(in: text, range: range).compactMap { m in
        Range(m.range(at: group), in: text).map { String(text[$0]) }
      }
    }
  }

  let files: [File]
  /// The layer declaring each top-level type.
  let declarations: [String: String]
  /// The layer folders found.
  let layers: [String]

  init(root: URL) throws {
    let layers = try FileManager.default.contentsOfDirectory(atPath: root.path)
      .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".docc") }
    var files: [File] = []
    for layer in layers {
      let folder = root.appendingPathComponent(layer)
      guard let walk = FileManager.default.enumerator(atPath: folder.path) else { continue }
      for case let relative as String in walk where relative.hasSuffix(".swift") {
        let text = try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
        files.append(File(path: "\(layer)/\(relative)", layer: layer, text: text))
      }
    }
    var declarations: [String: String] = [:]
    for file in files { for name in file.topLevelTypes { declarations[name] = file.layer } }
    self.files = files
    self.declarations = declarations
    self.layers = layers
  }
}
