import Foundation

extension InterpreterOptions {
  /// These options with the settings the CLI takes from environment variables applied.
  ///
  /// The library reads no environment variable itself; the `losslang` tool passes its
  /// environment here, and a host may pass its own (or any dictionary):
  /// - `LOSSLANG_PATH`: colon-separated directories searched by `import` before
  ///   ``searchPaths``;
  /// - `LOSSLANG_NO_FUSION=1`: ``fusion`` off;
  /// - `LOSSLANG_NATIVE=0` (or `off`): ``nativeKernels`` off; `all`: every kernel native
  ///   however small (``nativeKernelMinimumElements`` 0); `wait`: runs wait for the
  ///   kernels they compile (``waitForNativeKernels``); `all,wait`: both; any other word
  ///   throws a usage error;
  /// - `LOSSLANG_BLAS=1` (or `on`): ``systemBLAS`` on; `0` (or `off`): off; anything else
  ///   but an empty value throws a usage error;
  /// - `LOSSLANG_CC`, else the first `clang` on `PATH`: ``kernelCompiler`` (when not set);
  /// - `LOSSLANG_KERNEL_CACHE`, else `XDG_CACHE_HOME` (an absolute path) or `HOME`:
  ///   ``kernelCacheDirectory`` (see ``kernelCacheDirectory(environment:)``);
  /// - `LOSSLANG_THREADS=N`: ``threads`` (a whole number from 1 to ``maxThreads``; anything
  ///   else throws a usage error, and an empty value is ignored).
  public func applyingEnvironment(_ environment: [String: String]) throws -> InterpreterOptions {
    var options = self
    if let threads = try Self.threads(environment: environment) { options.threads = threads }
    let modules = (environment["LOSSLANG_PATH"] ?? "").split(separator: ":").map(String.init)
    options.searchPaths = modules.filter { !$0.isEmpty } + searchPaths
    if environment["LOSSLANG_NO_FUSION"] == "1" { options.fusion = false }
    let native = environment["LOSSLANG_NATIVE"] ?? ""
    for word in native.split(separator: ",") {
      switch word {
      case "0", "off": options.nativeKernels = false
      case "all": options.nativeKernelMinimumElements = 0
      case "wait": options.waitForNativeKernels = true
      default: throw LossLangError(.usage, "LOSSLANG_NATIVE takes 0, off, all or wait (or a list such as all,wait), got '\(native)'")
      }
    }
    switch environment["LOSSLANG_BLAS"] {
    case nil, "": break
    case "1", "on": options.systemBLAS = true
    case "0", "off": options.systemBLAS = false
    case let other?: throw LossLangError(.usage, "LOSSLANG_BLAS takes 1, on, 0 or off, got '\(other)'")
    }
    if let compiler = environment["LOSSLANG_CC"], !compiler.isEmpty {
      options.kernelCompiler = compiler
    } else if options.kernelCompiler == nil {
      options.kernelCompiler = Self.executable(named: "clang", in: environment["PATH"])
    }
    if let cache = Self.kernelCacheDirectory(environment: environment) { options.kernelCacheDirectory = cache }
    return options
  }

  /// The kernel cache directory an environment names: `LOSSLANG_KERNEL_CACHE`, else
  /// `losslang/kernels` under `XDG_CACHE_HOME` (an absolute path) or `$HOME/.cache`; nil
  /// when there is none (never a directory shared with other users, such as `/tmp`).
  public static func kernelCacheDirectory(environment env: [String: String]) -> URL? {
    if let path = env["LOSSLANG_KERNEL_CACHE"], !path.isEmpty { return URL(fileURLWithPath: path) }
    let xdg = env["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
    let home = env["HOME"].flatMap { $0.hasPrefix("/") ? $0 + "/.cache" : nil }
    return (xdg ?? home).map { URL(fileURLWithPath: $0).appendingPathComponent("losslang/kernels") }
  }

  /// The thread count `LOSSLANG_THREADS` sets, nil if unset or empty; a usage error if it is
  /// not a whole number from 1 to ``maxThreads``.
  static func threads(environment: [String: String]) throws -> Int? {
    guard let text = environment["LOSSLANG_THREADS"], !text.isEmpty else { return nil }
    guard let threads = Int(text), (1...maxThreads).contains(threads) else {
      throw LossLangError(.usage, "LOSSLANG_THREADS must be a whole number from 1 to \(maxThreads), got '\(text)'")
    }
    return threads
  }

  /// The first executable named `name` in the colon-separated `path`.
  static func executable(named name: String, in path: String?) -> String? {
    for directory in (path ?? "").split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
