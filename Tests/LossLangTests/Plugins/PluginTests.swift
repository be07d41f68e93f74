import Foundation
import Testing

@testable import LossLang

/// Native plugins through the C ABI: built here from C source, loaded three ways, values
/// and gradients checked; the error cases; the in-tree sparsemax plugin; Swift plugins.
@Suite struct PluginTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let abiInclude = repository.appendingPathComponent("Sources/LossLangPluginABI/include").path
  static let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

  /// A plugin op `cube(x) = x^3` with gradient 3x²·g, plus variants for the error cases.
  static func source(version: String = "LOSSLANG_PLUGIN_ABI_VERSION", name: String = "cube", exportInit: Bool = true) -> String {
    """
    #include "losslang_plugin.h"
    static int32_t shape(void *c, int32_t n, const ll_array *in, int64_t *out, int32_t *nd, char *e, int32_t es) {
      for (int32_t i = 0; i < in[0].ndim; i++) out[i] = in[0].shape[i];
      *nd = in[0].ndim; return 0; }
    static int32_t forward(void *c, int32_t n, const ll_array *in, ll_array *out, char *e, int32_t es) {
      for (int64_t i = 0; i < in[0].count; i++) out->data[i] = in[0].data[i] * in[0].data[i] * in[0].data[i];
      return 0; }
    static int32_t vjp(void *c, int32_t n, const ll_array *in, const ll_array *out, const ll_array *g,
                       int32_t k, ll_array *grad, char *e, int32_t es) {
      for (int64_t i = 0; i < in[0].count; i++) grad->data[i] = 3 * in[0].data[i] * in[0].data[i] * g->data[i];
      return 0; }
    static const ll_op op = { "\(name)", "x", "\(name)(x): x cubed (a test plugin).", "test", 1, shape, forward, vjp, 0 };
    int32_t losslang_plugin_abi_version(void) { return \(version); }
    \(exportInit ? "int32_t losslang_plugin_init(const ll_host *h) { return h->register_op(h->context, &op); }" : "")
    """
  }

  /// Compiles C source into a shared library in a temporary directory; returns its path.
  static func build(_ source: String, name: String) throws -> String {
    let dir = try TestScratch.subdirectory("ll-plugin-")
    let c = dir.appendingPathComponent("\(name).c"), so = dir.appendingPathComponent("lib\(name).so")
    try source.write(to: c, atomically: true, encoding: .utf8)
    let cc = Process()
    cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    cc.arguments = ["cc", "-shared", "-fPIC", "-O1", "-I", abiInclude, c.path, "-o", so.path]
    try cc.run()
    cc.waitUntilExit()
    try #require(cc.terminationStatus == 0, "cc failed for \(name)")
    return so.path
  }

  static let cube: String? = try? build(source(), name: "cube")

  @Test func loadedThroughTheAPI() throws {
    let interp = try Interpreter()
    try interp.loadPlugin(at: URL(fileURLWithPath: try #require(Self.cube)))
    #expect(try interp.eval("cube([1.0, -2.0, 0.5])").tensor?.scalars == [1, -8, 0.125])
    #expect(try interp.eval("x = [1.0, -2.0, 0.5]\ngrad(sum(cube(x) * [1.0, 2.0, 3.0]), x)").tensor?.scalars == [3, 24, 2.25])
    #expect(try interp.eval("gradcheck(fn(x) => sum(cube(x) * x), float64([0.3, -1.2, 2.0]))").bool == true)
    #expect(try interp.eval("float64([2.0]).cube()").tensor?.dtype == .float64)
    #expect(interp.helpText(for: "cube")?.contains("x cubed") == true)
  }

  @Test func loadedFromTheLanguage() throws {
    let interp = try Interpreter()
    let path = try #require(Self.cube)
    #expect(try interp.eval("load_plugin(\"\(path)\")\nsum(cube([1.0, 2.0]))").tensor?.scalars == [9])
  }

  @Test func loadedFromTheCommandLine() throws {
    let path = try #require(Self.cube)
    let binary = Self.buildDirectory.appendingPathComponent("losslang")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["--plugin", path, "-e", "cube(3.0)"]
    process.environment = ProcessInfo.processInfo.environment
      .merging(["LOSSLANG_KERNEL_CACHE": CLITests.kernelCache.path]) { $1 }
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(String(decoding: data, as: UTF8.self) == "27.0\n")
  }

  @Test func errorCases() throws {
    let interp = try Interpreter()
    let mismatch = try Self.build(Self.source(version: "99"), name: "future")
    let noInit = try Self.build(Self.source(exportInit: false), name: "noinit")
    let clash = try Self.build(Self.source(name: "exp"), name: "clash")
    let cases: [(String, String)] = [
      (mismatch, "built for plugin ABI version 99"),
      (noInit, "does not export losslang_plugin_init"),
      (clash, "'exp' clashes with an existing function"),
      ("/nonexistent/libnothing.so", "no such file"),
      ("/etc/hostname", "cannot load plugin"),
    ]
    for (path, message) in cases {
      do {
        try interp.loadPlugin(at: URL(fileURLWithPath: path))
        Issue.record("\(path) loaded")
      } catch let e as LossLangError {
        #expect(e.message.contains(message), "\(path): \(e.message)")
      }
    }
    #expect(try interp.eval("exp(0)").number == 1, "the clash must not replace exp")
  }

  @Test func sparsemaxPluginShippedInTree() throws {
    let library = Self.buildDirectory.appendingPathComponent("libLossLangSparsemax.so")
    let interp = try Interpreter()
    try interp.loadPlugin(at: library)
    // z = [1.0, 0.8, -1.0] (float32 literals): tau = 0.4 → p = [0.6, 0.4, 0].
    let p = try #require(try interp.eval("sparsemax(float64([1.0, 0.8, -1.0]))").tensor)
    #expect(zip(p.scalars, [0.6, 0.4, 0.0]).allSatisfy { abs($0 - $1) < 1e-7 }, "\(p.scalars)")
    #expect(try interp.eval("sum(sparsemax(float64([[3.0, 0.1, 0.2], [0.5, 0.4, 0.45]])), axis=1)").tensor?.scalars == [1, 1])
    #expect(try interp.eval("gradcheck(fn(z) => sum(sparsemax(z) * [0.3, -1.0, 2.0, 0.5]), float64([0.9, 0.7, 0.8, -2.0]))").bool == true)
  }

  struct Swish: LossLangPlugin {
    func register(into registry: inout Registry) throws {
      try registry.registerOperation(
        "swish", parameters: ["x"], doc: "swish(x): x·sigmoid(x).", family: "activation",
        forward: { x in
          try Tensor(x[0].scalars.map { $0 / (1 + Foundation.exp(-$0)) }, shape: x[0].shape, dtype: x[0].dtype)
        },
        vjp: { x, _, g, _ in
          let s = x[0].scalars.map { 1 / (1 + Foundation.exp(-$0)) }
          let d = zip(x[0].scalars, s).map { $1 * (1 + $0 * (1 - $1)) }
          return try Tensor(zip(d, g.scalars).map(*), shape: x[0].shape, dtype: x[0].dtype)
        })
      try registry.registerFunction("greeting", parameters: ["name"], doc: "greeting(name)", family: "text") { v in
        .string("hello " + (v[0].string ?? "?"))
      }
    }
  }

  @Test func swiftPluginsRegisterOpsWithGradients() throws {
    let interp = try Interpreter()
    try interp.install(Swish())
    #expect(try interp.eval("gradcheck(fn(x) => sum(swish(x)), float64([0.5, -1.5]))").bool == true)
    #expect(try interp.eval("greeting(\"loss\")").string == "hello loss")
    #expect(throws: LossLangError.self) { try interp.install(Swish()) }
  }
}
