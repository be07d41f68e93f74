import CLossKernel
import Foundation
import Testing

@testable import LossLang

/// The native-kernel cache against a crash, a bad disk and another user: a truncated,
/// corrupted or planted library is compiled again, never run; a cache directory others can
/// write is not used; without a private place nothing is cached, and `/tmp` is never shared.
/// Each cache is a directory of this test's own (never the user's `~/.cache`).
@Suite(.enabled(if: clang != nil, "needs clang"), .tags(.native))
struct KernelCacheIntegrityTests {

  /// The kernel whose library is damaged (exp) and another whose library is planted (log).
  static let kernel = KernelProgram.single(LK_OP_EXP, arity: 1, dtype: .float64)
  static let other = KernelProgram.single(LK_OP_LOG, arity: 1, dtype: .float64)

  /// Native kernels cached in `cache`, as a new process sees them.
  static func kernels(_ cache: URL?, temporary: URL = TestScratch.directory) -> NativeKernels {
    NativeKernels(cache: cache, compiler: clang, minimumElements: 0, temporaryDirectory: temporary)
  }

  /// The cached library of `program` in `cache` (its digest file beside it).
  static func library(of program: KernelProgram, in cache: URL) throws -> URL {
    let name = NativeKernels.digest(
      of: Array(NativeKernelSource.source(of: program, target: String(cString: lk_vm_target())).utf8))
    let files = try #require(FileManager.default.enumerator(at: cache, includingPropertiesForKeys: nil))
    return try #require(files.compactMap { $0 as? URL }.first { $0.lastPathComponent == name + ".so" })
  }

  /// Checks that `native` is the code of `kernel`: the VM's bits on values where exp and log differ.
  static func expectRunsTheKernel(_ native: lk_native_fn?, _ label: String) throws {
    let native = try #require(native, "\(label): not compiled")
    let x = try Tensor((0..<600).map { Double($0) / 50 - 4 }, shape: [600], dtype: .float64)
    let vm = try NativeKernelTests.run(kernel, [KernelOperand(x, strides: [1])], shape: [600], native: nil)
    let ran = try NativeKernelTests.run(kernel, [KernelOperand(x, strides: [1])], shape: [600], native: native)
    let same = ran == vm
    #expect(same, "\(label): the native code is not exp's")
  }

  /// Replaces `file` by a new file (a new inode: never the library this process loaded) holding `bytes`.
  static func replace(_ file: URL, with bytes: Data) throws {
    try FileManager.default.removeItem(at: file)
    try bytes.write(to: file)
  }

  enum Damage: String, CaseIterable {
    /// What a crash after `rename` without `fsync` leaves.
    case truncated
    /// Bytes flipped in the middle of the code.
    case corrupted
    /// Another kernel's valid library under this kernel's name.
    case planted
    /// Another kernel's library and its digest file, both under this kernel's name.
    case plantedWithDigest
  }

  @Test(arguments: Damage.allCases)
  func aDamagedLibraryIsRebuiltNeverRun(damage: Damage) throws {
    let cache = TestScratch.path("kernel-cache-")
    let builder = Self.kernels(cache)
    try Self.expectRunsTheKernel(builder.function(for: Self.kernel, elements: 1), "first build")
    #expect(builder.function(for: Self.other, elements: 1) != nil)
    #expect(builder.compiled == 2)
    let library = try Self.library(of: Self.kernel, in: cache)
    let digestFile = library.deletingPathExtension().appendingPathExtension("sha256")
    let bytes = try Data(contentsOf: library)
    switch damage {
    case .truncated:
      try Self.replace(library, with: bytes.prefix(bytes.count / 2))
    case .corrupted:
      var flipped = bytes
      for i in (bytes.count / 3)..<(bytes.count / 3 + 256) { flipped[i] ^= 0xa5 }
      try Self.replace(library, with: flipped)
    case .planted, .plantedWithDigest:
      let planted = try Self.library(of: Self.other, in: cache)
      try Self.replace(library, with: Data(contentsOf: planted))
      if damage == .plantedWithDigest {
        let digest = planted.deletingPathExtension().appendingPathExtension("sha256")
        try Self.replace(digestFile, with: Data(contentsOf: digest))
      }
    }
    // The next process compiles the kernel again and runs the new code.
    let victim = Self.kernels(cache)
    try Self.expectRunsTheKernel(victim.function(for: Self.kernel, elements: 1), "\(damage) library")
    #expect(victim.compiled == 1, "the \(damage) library was loaded")
    // The cache holds the good library again: the one after loads it.
    let healed = Self.kernels(cache)
    try Self.expectRunsTheKernel(healed.function(for: Self.kernel, elements: 1), "rebuilt library")
    #expect(healed.compiled == 0)
  }

  @Test func aLibraryWithoutItsDigestIsRebuilt() throws {
    let cache = TestScratch.path("kernel-cache-")
    #expect(Self.kernels(cache).function(for: Self.kernel, elements: 1) != nil)
    let library = try Self.library(of: Self.kernel, in: cache)
    try FileManager.default.removeItem(at: library.deletingPathExtension().appendingPathExtension("sha256"))
    let next = Self.kernels(cache)
    try Self.expectRunsTheKernel(next.function(for: Self.kernel, elements: 1), "library without digest")
    #expect(next.compiled == 1)
  }

  @Test(arguments: [0o770, 0o707, 0o720, 0o777])
  func aCacheOthersCanWriteIsRefused(mode: Int) throws {
    // A forged entry: log's library under exp's name with a digest that matches it, as
    // anyone who can write the directory could make. It must not even be read.
    let good = TestScratch.path("kernel-cache-")
    #expect(Self.kernels(good).function(for: Self.other, elements: 1) != nil)
    #expect(Self.kernels(good).function(for: Self.kernel, elements: 1) != nil)
    let library = try Self.library(of: Self.kernel, in: good)
    let cache = try TestScratch.subdirectory("shared-cache-")
    let version = library.deletingLastPathComponent().lastPathComponent
    let name = library.deletingPathExtension().lastPathComponent
    let forged = cache.appendingPathComponent(version)
    try FileManager.default.createDirectory(at: forged, withIntermediateDirectories: false)
    let code = try Data(contentsOf: Self.library(of: Self.other, in: good))
    try code.write(to: forged.appendingPathComponent(name + ".so"))
    try Data(NativeKernels.libraryDigest(Array(code), at: version + "/" + name).utf8)
      .write(to: forged.appendingPathComponent(name + ".sha256"))
    #expect(chmod(cache.path, mode_t(mode)) == 0)
    let before = try FileManager.default.subpathsOfDirectory(atPath: cache.path).sorted()

    let temporary = try TestScratch.subdirectory("private-tmp-")
    let kernels = Self.kernels(cache, temporary: temporary)
    try Self.expectRunsTheKernel(kernels.function(for: Self.kernel, elements: 1), "refused cache")
    #expect(kernels.compiled == 1)
    #expect(try FileManager.default.subpathsOfDirectory(atPath: cache.path).sorted() == before,
            "a directory others can write was written")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
  }

  @Test(.enabled(if: geteuid() == 0, "only root can give a directory away"))
  func aCacheOwnedByAnotherUserIsRefused() throws {
    let cache = try TestScratch.subdirectory("foreign-cache-")
    #expect(chmod(cache.path, 0o755) == 0 && chown(cache.path, 65534, 65534) == 0)
    let kernels = Self.kernels(cache)
    try Self.expectRunsTheKernel(kernels.function(for: Self.kernel, elements: 1), "foreign cache")
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty)
    // Nor may a directory the cache needs be another user's.
    let mine = TestScratch.path("kernel-cache-")
    #expect(Self.kernels(mine).function(for: Self.other, elements: 1) != nil)
    let version = try Self.library(of: Self.other, in: mine).deletingLastPathComponent()
    #expect(chown(version.path, 65534, 65534) == 0)
    let before = try FileManager.default.contentsOfDirectory(atPath: version.path).sorted()
    let next = Self.kernels(mine)
    try Self.expectRunsTheKernel(next.function(for: Self.kernel, elements: 1), "foreign version directory")
    #expect(next.compiled == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: version.path).sorted() == before)
  }

  @Test func createdDirectoriesAreThisUsersAlone() throws {
    let cache = TestScratch.path("kernel-cache-").appendingPathComponent("a/b")
    #expect(Self.kernels(cache).function(for: Self.kernel, elements: 1) != nil)
    let library = try Self.library(of: Self.kernel, in: cache)
    var directory = library.deletingLastPathComponent()
    while directory.path.hasPrefix(TestScratch.directory.path + "/") {
      let mode = try #require(FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int)
      #expect(mode == 0o700, "\(directory.path)")
      directory.deleteLastPathComponent()
    }
  }

  @Test func withoutAPrivatePlaceNothingIsCached() throws {
    #expect(InterpreterOptions.kernelCacheDirectory(environment: [:]) == nil)
    #expect(InterpreterOptions.kernelCacheDirectory(environment: ["HOME": ""]) == nil)
    #expect(InterpreterOptions.kernelCacheDirectory(environment: ["HOME": "relative", "XDG_CACHE_HOME": "also"]) == nil)
    #expect(InterpreterOptions.kernelCacheDirectory(environment: ["HOME": "/h"])?.path == "/h/.cache/losslang/kernels")
    #expect(InterpreterOptions.kernelCacheDirectory(environment: ["HOME": "/h", "XDG_CACHE_HOME": "/x"])?.path
      == "/x/losslang/kernels")
    #expect(InterpreterOptions.kernelCacheDirectory(environment: ["HOME": "/h", "LOSSLANG_KERNEL_CACHE": "/k"])?.path == "/k")
    // No cache: each kernel compiles in a private directory that is gone once it is loaded.
    let temporary = try TestScratch.subdirectory("private-tmp-")
    let kernels = Self.kernels(nil, temporary: temporary)
    try Self.expectRunsTheKernel(kernels.function(for: Self.kernel, elements: 1), "uncached")
    #expect(kernels.compiled == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
  }

  @Test(.tags(.spawnsProcess)) func withoutHomeTheCLINeverWritesASharedDirectory() throws {
    let temporary = try TestScratch.subdirectory("tmpdir-")
    // The compiler, through a script that records where it was asked to write.
    let log = TestScratch.path("cc-", suffix: ".log"), compiler = TestScratch.path("cc-", suffix: ".sh")
    try "#!/bin/sh\necho \"$@\" >> '\(log.path)'\nexec '\(try #require(clang))' \"$@\"\n"
      .write(to: compiler, atomically: true, encoding: .utf8)
    #expect(chmod(compiler.path, 0o700) == 0)
    let shared = URL(fileURLWithPath: "/tmp/losslang")
    let sharedBefore = try? FileManager.default.subpathsOfDirectory(atPath: shared.path).sorted()
    var outputs: [String: String] = [:]
    for native in ["0", "all,wait"] {
      let r = try runLossLang(
        ["-e", "x = arange(0, 3000) / 1000\nsum(exp(x) * log1p(x))"],
        environment: [
          "HOME": nil, "XDG_CACHE_HOME": nil, "LOSSLANG_KERNEL_CACHE": nil, "TMPDIR": temporary.path,
          "LOSSLANG_NATIVE": native, "LOSSLANG_CC": compiler.path,
        ])
      #expect(r.status == 0, "\(r.stderr)")
      outputs[native] = r.stdout
    }
    #expect(outputs["all,wait"] == outputs["0"] && outputs["0"]?.isEmpty == false)
    let compiled = try String(contentsOf: log, encoding: .utf8)
    #expect(compiled.contains("-o \(temporary.path)/build."), "not compiled in a private temporary directory")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty,
            "the temporary directory keeps kernels")
    #expect((try? FileManager.default.subpathsOfDirectory(atPath: shared.path).sorted()) == sharedBefore,
            "/tmp/losslang was written")
  }

  @Test(.tags(.spawnsProcess)) func aTruncatedCacheDoesNotCrashTheNextRun() throws {
    // The reproduction: a library cut short under its final name crashed every later run.
    let cache = TestScratch.path("kernel-cache-")
    func run() throws -> (Int32, String) {
      let r = try runLossLang(
        ["-e", "x = arange(0, 3000) / 1000\nsum(sigmoid(x) * tanh(x))"],
        environment: ["LOSSLANG_NATIVE": "all,wait", "LOSSLANG_KERNEL_CACHE": cache.path])
      return (r.status, r.stdout)
    }
    let first = try run()
    #expect(first.0 == 0)
    let files = try #require(FileManager.default.enumerator(at: cache, includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "so" }
    #expect(!files.isEmpty, "no kernel was cached")
    for file in files {
      let bytes = try Data(contentsOf: file)
      try bytes.prefix(bytes.count / 2).write(to: file)
    }
    let second = try run()
    #expect(second.0 == 0, "the run after a truncated library ended with status \(second.0)")
    #expect(second.1 == first.1)
  }
}

/// The compiler native kernels use here (the toolchain's clang), if there is one.
private let clang = clangOnPath
