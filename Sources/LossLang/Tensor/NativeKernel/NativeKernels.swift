import CLossKernel
import Foundation

/// Compiles large kernels' programs to native code at run time, with a cache on disk.
///
/// A kernel over many elements runs as generated C (`NativeKernelSource`) compiled by the
/// toolchain's clang into a shared library, instead of being interpreted by the tile VM;
/// the results are the same bits, only faster (the VM writes every intermediate through
/// L1). Libraries are cached by source text under `LOSSLANG_KERNEL_CACHE` (default
/// `$XDG_CACHE_HOME/losslang/kernels`, else `~/.cache/losslang/kernels`), so a process
/// compiles a kernel only the first time any process needs it (about 0.1 s). Without a
/// compiler, or if compiling fails, the VM runs the kernel as before: nothing is reported.
///
/// `LOSSLANG_NATIVE=0` turns native kernels off, `LOSSLANG_NATIVE=all` uses them for every
/// kernel however small (tests), and `LOSSLANG_CC` names the compiler (default: `clang` on
/// the `PATH`). A compile that runs past ``compileTimeout``, or past the time limit of the
/// evaluation waiting for it, is killed and the VM runs the kernel.
final class NativeKernels: @unchecked Sendable {
  /// Kernels over at least this many elements are compiled by default (the VM's
  /// two-thread threshold: below it, a kernel is too short for the difference to matter).
  static let defaultMinimumElements = 1 << 18

  /// The process's native kernels, configured from the environment.
  static let shared: NativeKernels = {
    let env = ProcessInfo.processInfo.environment
    let setting = env["LOSSLANG_NATIVE"]
    let minimum = setting == "0" || setting == "off" ? Int.max : setting == "all" ? 0 : defaultMinimumElements
    let home = env["HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent(".cache") }
    let base = env["XDG_CACHE_HOME"].map(URL.init(fileURLWithPath:)) ?? home ?? FileManager.default.temporaryDirectory
    let cache = env["LOSSLANG_KERNEL_CACHE"].map(URL.init(fileURLWithPath:))
      ?? base.appendingPathComponent("losslang/kernels")
    return NativeKernels(cache: cache, compiler: env["LOSSLANG_CC"] ?? findInPath("clang", env["PATH"]),
                         minimumElements: minimum)
  }()

  /// Where sources and libraries are kept.
  let cache: URL
  /// The C compiler (clang), if there is one.
  let compiler: String?
  /// Kernels over fewer elements keep the VM.
  let minimumElements: Int

  private let lock = NSLock()
  /// What each source compiled to (nil: it failed), for this process.
  private var loaded: [String: lk_native_fn?] = [:]

  /// Native kernels compiled by `compiler` and cached under `cache`.
  init(cache: URL, compiler: String?, minimumElements: Int) {
    self.cache = cache
    self.compiler = compiler
    self.minimumElements = minimumElements
  }

  /// Native code for `program` run over `elements` elements, reading the inputs in `uniform`
  /// as one value per call (`lk_native_uniform`), or nil if the VM should run it.
  func function(for program: KernelProgram, uniform: UInt64 = 0, elements: Int) -> lk_native_fn? {
    guard elements >= minimumElements, compiler != nil, program.instructions.count > 0 else { return nil }
    let source = NativeKernelSource.source(
      of: program, target: String(cString: lk_vm_target()), uniform: uniform)
    lock.lock()
    defer { lock.unlock() }
    if let known = loaded[source] { return known }
    let function = load(source)
    loaded[source] = function
    return function
  }

  /// The compiled `source`, from the disk cache or compiled now; nil if that fails.
  private func load(_ source: String) -> lk_native_fn? {
    guard let compiler else { return nil }
    let fm = FileManager.default
    let directory = cache.appendingPathComponent(Self.digest(of: Self.headerText + compiler))
    let name = Self.digest(of: source)
    let library = directory.appendingPathComponent(name + ".so")
    let sourceFile = directory.appendingPathComponent(name + ".c")
    // A library is trusted only next to the very source it was compiled from.
    if (try? String(contentsOf: sourceFile, encoding: .utf8)) != source || !fm.fileExists(atPath: library.path) {
      let include = directory.appendingPathComponent("include")
      let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
      let temporarySource = directory.appendingPathComponent("\(name).\(unique).c")
      let temporaryLibrary = directory.appendingPathComponent("\(name).\(unique).so")
      defer { try? fm.removeItem(at: temporarySource) }
      do {
        try fm.createDirectory(at: include, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for (file, text) in EmbeddedKernelHeaders.files {
          let url = include.appendingPathComponent(file)
          if (try? String(contentsOf: url, encoding: .utf8)) != text {
            let temporary = include.appendingPathComponent("\(file).\(unique)")
            try text.write(to: temporary, atomically: false, encoding: .utf8)
            try Self.move(temporary, to: url)
          }
        }
        try source.write(to: temporarySource, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        // The package's flags for the C kernel (-O3, clang's default contraction within one
        // expression only), as a shared library linked to libm: its math calls then bind to
        // the versions the VM's calls bind to (an unversioned reference would get glibc's
        // oldest `log`, whose NaN has the other sign).
        process.arguments = ["-O3", "-ffp-contract=on", "-fPIC", "-shared", "-w", "-I", include.path,
                             "-o", temporaryLibrary.path, temporarySource.path, "-lm"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard try Self.finishes(process) else {
          try? fm.removeItem(at: temporaryLibrary)
          return nil
        }
        // Library first, then its source: a reader that finds the source finds the library.
        try Self.move(temporaryLibrary, to: library)
        try source.write(to: sourceFile, atomically: true, encoding: .utf8)
      } catch {
        try? fm.removeItem(at: temporaryLibrary)
        return nil
      }
    }
    guard let handle = dlopen(library.path, RTLD_NOW | RTLD_LOCAL),
      let symbol = dlsym(handle, NativeKernelSource.symbol)
    else { return nil }
    // Never closed: programs keep pointing at the code.
    return unsafeBitCast(symbol, to: lk_native_fn.self)
  }

  /// The longest a compile may take before it is killed (and the VM runs the kernel).
  static let compileTimeout: Double = 30

  /// Runs the compiler `process` to its end, or kills it past ``compileTimeout`` or as soon
  /// as the current evaluation is interrupted or out of time; whether it succeeded.
  private static func finishes(_ process: Process) throws -> Bool {
    let evaluation = InterruptHandle.current
    let end = DispatchTime.now().uptimeNanoseconds + UInt64(compileTimeout * 1e9)
    try process.run()
    while process.isRunning {
      let stopped = evaluation.map { (try? $0.check()) == nil } ?? false
      if stopped || DispatchTime.now().uptimeNanoseconds > end {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
      }
      usleep(2_000)
    }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }

  /// Renames `source` to `destination` in one step, replacing it (readers see either file whole).
  private static func move(_ source: URL, to destination: URL) throws {
    guard rename(source.path, destination.path) == 0 else {
      throw CocoaError(.fileWriteUnknown)
    }
  }

  /// All embedded header text, which (with the compiler) names the cache directory.
  private static let headerText = EmbeddedKernelHeaders.files.sorted { $0.key < $1.key }
    .map { $0.key + "\n" + $0.value }.joined(separator: "\n")

  /// A 128-bit FNV-1a digest of `text`, in hexadecimal (a file name, not a security check).
  static func digest(of text: String) -> String {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x84222325_cbf29ce4
    for byte in text.utf8 {
      a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
      b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 ^ (b >> 29)
    }
    return String(a, radix: 16) + String(b, radix: 16)
  }

  /// The first executable named `name` in the colon-separated `path`.
  private static func findInPath(_ name: String, _ path: String?) -> String? {
    for directory in (path ?? "").split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}
