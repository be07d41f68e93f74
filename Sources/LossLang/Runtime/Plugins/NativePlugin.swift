import Foundation
import LossLangPluginABI

/// Loads native plugins: shared libraries that register ops through `losslang_plugin.h`.
///
/// Each op's callbacks receive float64 copies of the arguments; results are converted to
/// the arguments' dtype (float64 if any argument is float64). A library is opened once per
/// process and never closed (its code may be referenced by graphs).
enum NativePlugin {
  /// Opens the library at `path`, checks its ABI version and registers its ops.
  static func load(path: String, into registry: Registry) throws {
    guard FileManager.default.fileExists(atPath: path) else {
      throw LossLangError(.io, "cannot load plugin '\(path)': no such file")
    }
    guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
      throw LossLangError(.io, "cannot load plugin '\(path)': \(dlerror().map { String(cString: $0) } ?? "dlopen failed")")
    }
    guard let versionSymbol = dlsym(handle, "losslang_plugin_abi_version") else {
      throw LossLangError(.runtime, "'\(path)' is not a LossLang plugin: it does not export losslang_plugin_abi_version")
    }
    typealias VersionFn = @convention(c) () -> Int32
    let version = unsafeBitCast(versionSymbol, to: VersionFn.self)()
    guard version == LOSSLANG_PLUGIN_ABI_VERSION else {
      throw LossLangError(.runtime,
        "plugin '\(path)' was built for plugin ABI version \(version); this LossLang supports version \(LOSSLANG_PLUGIN_ABI_VERSION)")
    }
    guard let initSymbol = dlsym(handle, "losslang_plugin_init") else {
      throw LossLangError(.runtime, "'\(path)' is not a LossLang plugin: it does not export losslang_plugin_init")
    }
    typealias InitFn = @convention(c) (UnsafePointer<ll_host>?) -> Int32
    let initialize = unsafeBitCast(initSymbol, to: InitFn.self)
    let session = Registration(registry: registry, path: path)
    var host = ll_host(
      abi_version: LOSSLANG_PLUGIN_ABI_VERSION,
      context: Unmanaged.passUnretained(session).toOpaque(),
      register_op: { context, op in
        guard let context, let op else { return 1 }
        let session = Unmanaged<Registration>.fromOpaque(context).takeUnretainedValue()
        return session.register(op.pointee)
      })
    let status = withUnsafePointer(to: &host) { initialize($0) }
    if let error = session.error { throw error }
    guard status == 0 else { throw LossLangError(.runtime, "plugin '\(path)' failed to initialize (status \(status))") }
  }

  /// The state of one plugin's initialization: where ops go, and the first error.
  final class Registration {
    let registry: Registry
    let path: String
    var error: LossLangError?

    init(registry: Registry, path: String) {
      self.registry = registry
      self.path = path
    }

    /// Registers one op description; returns 0 or 1 (the error is kept for the host).
    func register(_ op: ll_op) -> Int32 {
      do {
        guard let namePointer = op.name, let forward = op.forward, let shape = op.shape, op.n_inputs >= 0 else {
          throw LossLangError(.runtime, "plugin '\(path)': an op description is incomplete (name, shape and forward are required)")
        }
        let name = String(cString: namePointer)
        let parameters = op.parameters.map { String(cString: $0) }.map {
          $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } ?? []
        guard parameters.count == Int(op.n_inputs) else {
          throw LossLangError(.runtime, "plugin '\(path)': op '\(name)' lists \(parameters.count) parameters but takes \(op.n_inputs) inputs")
        }
        let kernel = NativeKernel(name: name, context: UnsafeSendablePointer(op.context), shape: shape, forward: forward, vjp: op.vjp)
        try registry.registerOperation(
          name, parameters: parameters, doc: op.doc.map { String(cString: $0) } ?? "",
          family: op.family.map { String(cString: $0) } ?? "plugin",
          forward: kernel.forward, vjp: op.vjp == nil ? nil : kernel.vjp)
        return 0
      } catch let e as LossLangError {
        if error == nil { error = e }
        return 1
      } catch {
        return 1
      }
    }
  }
}

/// A plugin's opaque context pointer, passed back to its callbacks.
struct UnsafeSendablePointer: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer?
  init(_ pointer: UnsafeMutableRawPointer?) { self.pointer = pointer }
}
