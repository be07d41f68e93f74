import CLossKernel
internal import Crypto
import Foundation
import Synchronization

/// Compiles large kernels' programs to native code at run time, with a cache on disk.
///
/// A kernel over many elements runs as generated C (`NativeKernelSource`) compiled by the
/// toolchain's clang into a shared library, instead of being interpreted by the tile VM;
/// the results are the same bits, only faster (the VM writes every intermediate through
/// L1). Libraries are cached by source text in the cache directory the owner names
/// (`InterpreterOptions.kernelCacheDirectory`; the CLI's default is
/// `$XDG_CACHE_HOME/losslang/kernels`, else `~/.cache/losslang/kernels`), so a process
/// compiles a kernel only the first time any process needs it (about 0.1 s). Without a
/// compiler, or if compiling fails, the VM runs the kernel as before: nothing is reported.
///
/// The cache is trusted only as a `PrivateDirectory` (this user's, writable by no one
/// else), and a cached library is loaded only when its bytes have the SHA-256 digest stored
/// beside it: a truncated, corrupted or planted library is compiled again, never run.
/// Without a private cache (none configured, or a directory others can write) each kernel
/// is compiled in a private temporary directory, removed once it is loaded.
///
/// A kernel found in the cache is loaded at once; one that must be compiled is compiled in
/// the background (`KernelCompileQueue`, one compile at a time), and until its library is
/// loaded every run of it uses the VM (`CompiledKernel`): an evaluation never waits for the
/// compiler unless it asks to (an instance that ``waits``, a ``CompiledKernel`` waited on,
/// ``waitForCompiles(shouldStop:)``). A compile that runs past ``compileTimeout`` is killed,
/// and the VM keeps the kernel. An instance
/// with a dump directory (`InterpreterOptions.kernelDumpDirectory`, which
/// `LOSSLANG_DUMP_KERNELS` sets) also writes each generated source there as `DIGEST.c`.
final class NativeKernels: @unchecked Sendable {
  /// Kernels over at least this many elements are compiled by default (the VM's
  /// two-thread threshold: below it, a kernel is too short for the difference to matter).
  static let defaultMinimumElements = 1 << 18

  /// What identifies an instance in ``instance(cache:compiler:minimumElements:dumpDirectory:)``.
  private struct Settings: Hashable {
    let cache: URL?
    let compiler: String?
    let minimumElements: Int
    let dumpDirectory: URL?
    let waits: Bool
  }
  /// The instances made so far, so that interpreters with the same settings share loaded code.
  private static let instances = Mutex<[Settings: NativeKernels]>([:])

  /// The process's instance for these settings (made on first use): every interpreter with
  /// the same settings loads each library once.
  static func instance(cache: URL?, compiler: String?, minimumElements: Int, dumpDirectory: URL? = nil,
                       waits: Bool = false) -> NativeKernels {
    let settings = Settings(
      cache: cache, compiler: compiler, minimumElements: minimumElements, dumpDirectory: dumpDirectory, waits: waits)
    return instances.withLock { known in
      if let kernels = known[settings] { return kernels }
      let kernels = NativeKernels(
        cache: cache, compiler: compiler, minimumElements: minimumElements, dumpDirectory: dumpDirectory, waits: waits)
      known[settings] = kernels
      return kernels
    }
  }

  /// Where libraries are kept (nil: nowhere, each process compiles its kernels).
  let cache: URL?
  /// The C compiler (clang), if there is one.
  let compiler: String?
  /// Kernels over fewer elements keep the VM.
  let minimumElements: Int
  /// Where kernels are compiled when there is no private cache.
  let temporaryDirectory: URL
  /// Where each generated source is also written, as `DIGEST.c` (nil: nowhere).
  let dumpDirectory: URL?
  /// Whether a run waits for its kernel's compile rather than running the VM meanwhile
  /// (`InterpreterOptions.waitForNativeKernels`).
  let waits: Bool

  /// Guards the state below.
  private let lock = NSLock()
  /// Each kernel source met in this process, with its code as it stands.
  private var kernels: [String: CompiledKernel] = [:]
  /// The kernels queued or compiling.
  private var compiling: [CompiledKernel] = []
  /// How many kernels were queued to compile (a library missing or refused from the cache).
  private var compilations = 0
  /// Runs of large kernels given native code, and those the VM ran (compiling or failed).
  private let nativeRunCount = Atomic<Int>(0), vmRunCount = Atomic<Int>(0)

  /// Native kernels compiled by `compiler` and cached under `cache` (nil: not cached, each
  /// compiled in a private directory under `temporaryDirectory`), their sources written into
  /// `dumpDirectory` if one is given; runs wait for their compile if `waits`.
  init(cache: URL?, compiler: String?, minimumElements: Int, dumpDirectory: URL? = nil, waits: Bool = false,
       temporaryDirectory: URL = FileManager.default.temporaryDirectory) {
    self.cache = cache
    self.dumpDirectory = dumpDirectory
    self.waits = waits
    self.compiler = compiler
    self.minimumElements = minimumElements
    self.temporaryDirectory = temporaryDirectory
  }

  /// How many kernels this instance has compiled or queued to compile (rather than loaded
  /// from the cache).
  var compiled: Int {
    lock.lock()
    defer { lock.unlock() }
    return compilations
  }

  /// How many runs of kernels large enough for native code ran it (`native`) and how many
  /// ran on the VM (`vm`: their code was compiling, or failed), as counted by ``countRun(native:)``.
  var runs: (native: Int, vm: Int) {
    (nativeRunCount.load(ordering: .relaxed), vmRunCount.load(ordering: .relaxed))
  }

  /// Counts one run of a kernel large enough for native code: whether it ran native code.
  func countRun(native: Bool) {
    if native { nativeRunCount.add(1, ordering: .relaxed) } else { vmRunCount.add(1, ordering: .relaxed) }
  }

  /// The native code of `program` run over `elements` elements, reading the inputs in
  /// `uniform` as one value per call (`lk_native_uniform`), or nil if the VM should always
  /// run it (too small, no compiler). Never waits for the compiler: a library in the cache
  /// is loaded now; one that must be compiled is queued on `KernelCompileQueue` and the
  /// kernel returned compiling. The same source always gets the same kernel.
  func kernel(for program: KernelProgram, uniform: UInt64 = 0, elements: Int) -> CompiledKernel? {
    guard elements >= minimumElements, let compiler, program.instructions.count > 0 else { return nil }
    let source = NativeKernelSource.source(
      of: program, target: String(cString: lk_vm_target()), uniform: uniform)
    lock.lock()
    defer { lock.unlock() }
    if let known = kernels[source] { return known }
    if let dumpDirectory { Self.write(source, into: dumpDirectory) }
    // One directory per header text and compiler, so a new version never meets an old library.
    let version = Self.digest(of: Array((Self.headerText + compiler).utf8))
    let name = Self.digest(of: Array(source.utf8))
    let directory = cache.flatMap(PrivateDirectory.open)?.subdirectory(version)
    if let directory, let function = Self.cached(name, in: directory) {
      let kernel = CompiledKernel(.loaded(function))
      kernels[source] = kernel
      return kernel
    }
    let kernel = CompiledKernel(.compiling)
    kernels[source] = kernel
    compiling.append(kernel)
    compilations += 1
    KernelCompileQueue.enqueue {
      kernel.finish(self.compile(source, with: compiler, publishingAs: name, in: directory))
      self.lock.lock()
      defer { self.lock.unlock() }
      self.compiling.removeAll { $0 === kernel }
    }
    return kernel
  }

  /// Waits until every compile this instance has queued has ended (loaded or failed);
  /// false if `shouldStop` said to stop first (the compiles go on).
  @discardableResult
  func waitForCompiles(shouldStop: () -> Bool = { false }) -> Bool {
    while true {
      lock.lock()
      let next = compiling.first { !$0.isFinished }
      lock.unlock()
      guard let next else { return true }
      _ = next.wait(shouldStop: shouldStop)
      if !next.isFinished { return false }
    }
  }

  /// Writes a kernel's `source` into `directory` as `DIGEST.c`.
  /// Best effort: the directory is the reader's, and a failed write must not stop the evaluation.
  private static func write(_ source: String, into directory: URL) {
    let file = directory.appendingPathComponent(digest(of: Array(source.utf8)) + ".c")
    try? source.write(to: file, atomically: true, encoding: .utf8)
  }

  /// The library `name` in `directory` if the digest stored beside it is `libraryDigest` of
  /// its place and bytes; nil (compile it again) if either file is missing, unreadable,
  /// foreign, or they disagree.
  private static func cached(_ name: String, in directory: PrivateDirectory) -> lk_native_fn? {
    guard let stored = directory.read(name + ".sha256", limit: 64), let library = directory.read(name + ".so"),
      stored == Array(libraryDigest(library, at: directory.url.lastPathComponent + "/" + name).utf8)
    else { return nil }
    return open(directory.path(name + ".so"))
  }

  /// The digest stored beside a cached library: SHA-256 of its place in the cache
  /// (`version/name`) and its bytes, so a library moved under another kernel's name (or
  /// another version's) is not the one compiled for it.
  static func libraryDigest(_ library: [UInt8], at place: String) -> String {
    digest(of: Array((place + "\n").utf8) + library)
  }

  /// Compiles `source` in a private directory of its own and loads the library; then, given
  /// a cache `directory`, moves it there as `name` with its digest. The build directory is
  /// made in the cache (or, without one, in the temporary directory) and removed after.
  /// Runs on `KernelCompileQueue`.
  private func compile(_ source: String, with compiler: String, publishingAs name: String,
                       in directory: PrivateDirectory?) -> lk_native_fn? {
    guard let build = PrivateDirectory.unique(in: directory?.url ?? temporaryDirectory, prefix: "build")
    else { return nil }
    defer { build.remove() }
    do {
      let include = build.url.appendingPathComponent("include")
      try FileManager.default.createDirectory(at: include, withIntermediateDirectories: false)
      for (file, text) in EmbeddedKernelHeaders.files {
        try text.write(to: include.appendingPathComponent(file), atomically: false, encoding: .utf8)
      }
      // Named after the source: glibc's dlopen takes a path it has loaded before to mean
      // that library, so another kernel must never be loaded from this path.
      let library = name + ".so"
      try build.write(Array(source.utf8), to: name + ".c")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: compiler)
      // The package's flags for the C kernel (-O3, clang's default contraction within one
      // expression only), as a shared library linked to libm: its math calls then bind to
      // the versions the VM's calls bind to (an unversioned reference would get glibc's
      // oldest `log`, whose NaN has the other sign).
      process.arguments = ["-O3", "-ffp-contract=on", "-fPIC", "-shared", "-w", "-I", include.path,
                           "-o", build.path(library), build.path(name + ".c"), "-lm"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      guard KernelCompileQueue.run(process, timeout: Self.compileTimeout),
        let bytes = build.read(library), let function = Self.open(build.path(library))
      else { return nil }
      if let directory { try? Self.publish(bytes, from: build, as: name, in: directory) }
      return function
    } catch {
      return nil
    }
  }

  /// The longest a compile may take before it is killed (and the VM runs the kernel).
  static let compileTimeout: Double = 30

  /// Moves the library `name` just compiled (`library`: its bytes) from `build` into the
  /// cache `directory`, with its digest. Each file is flushed before its rename, so a
  /// crash leaves the old file or the new one whole (and a library beside another's digest
  /// is compiled again).
  private static func publish(_ library: [UInt8], from build: PrivateDirectory, as name: String,
                              in directory: PrivateDirectory) throws {
    try build.sync(name + ".so")
    try build.write(Array(libraryDigest(library, at: directory.url.lastPathComponent + "/" + name).utf8),
                    to: name + ".sha256")
    try build.move(name + ".so", to: directory)
    try build.move(name + ".sha256", to: directory)
  }

  /// The kernel function in the library at `path`. Never closed: programs keep pointing at the code.
  private static func open(_ path: String) -> lk_native_fn? {
    guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(handle, NativeKernelSource.symbol)
    else { return nil }
    return unsafeBitCast(symbol, to: lk_native_fn.self)
  }

  /// All embedded header text, which (with the compiler) names the cache directory.
  private static let headerText = EmbeddedKernelHeaders.files.sorted { $0.key < $1.key }
    .map { $0.key + "\n" + $0.value }.joined(separator: "\n")

  /// The SHA-256 digest of `bytes`, in hexadecimal: cache file names, and the check that a
  /// cached library is the one compiled for its place (no collision can be made on purpose).
  static func digest(of bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
  }
}
