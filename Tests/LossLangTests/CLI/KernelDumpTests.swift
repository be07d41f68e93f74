import Foundation
import Testing

@testable import LossLang

/// `LOSSLANG_DUMP_KERNELS=DIR`: the `losslang` command writes the C source of every native
/// kernel it generates into DIR, and each file compiles on its own against the kernel headers.
@Suite(.tags(.native, .spawnsProcess)) struct KernelDumpTests {
  @Test func dumpedKernelsCompile() throws {
    let compiler = try #require(clangOnPath, "no clang on the PATH: no native kernel is generated")
    let dump = TestScratch.path("dump-")  // missing: the command creates it
    let cache = try TestScratch.subdirectory("kernel-cache-")
    let run = try runLossLang(
      ["-e", "x = randn([3, 50], seed=1)\nmean(log_softmax(x, axis=1) * exp(x) - 0.5)"],
      environment: ["LOSSLANG_DUMP_KERNELS": dump.path, "LOSSLANG_NATIVE": "all", "LOSSLANG_KERNEL_CACHE": cache.path])
    #expect(run.status == 0, "\(run.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dump.path).filter { $0.hasSuffix(".c") }
    try #require(!files.isEmpty, "no native kernel was generated")
    let kernel = repositoryRoot.appendingPathComponent("Sources/CLossKernel")
    for file in files {
      let source = dump.appendingPathComponent(file)
      let text = try String(contentsOf: source, encoding: .utf8)
      #expect(text.contains("void \(NativeKernelSource.symbol)("), "\(file)")
      let compiled = try runProcess(URL(fileURLWithPath: compiler), [
        "-c", "-O3", "-ffp-contract=on", "-I", kernel.path, "-I", kernel.appendingPathComponent("include").path,
        "-o", TestScratch.path("kernel-", suffix: ".o").path, source.path,
      ])
      #expect(compiled.status == 0, "\(file) does not compile: \(compiled.stderr)")
    }
  }

  @Test func everyProcessGeneratesTheSameKernels() throws {
    try #require(clangOnPath != nil, "no clang on the PATH: no native kernel is generated")
    // Each process hashes with its own seed: the programs (and so the dumped sources,
    // named by digest) must not depend on it, or the kernel cache would miss.
    // Sums of two temporaries free two registers at once, in an order a `Set` would vary.
    let source = "x = randn([40, 30], seed=3)\ny = randn([40, 30], seed=4)\n"
      + "sum(exp((x * y) + (x - y)) * tanh((x + y) * (y - 2 * x)) + sin(exp(x) + cos(y)))"
    var dumps: [Set<String>] = []
    for _ in 0..<6 {
      let dump = TestScratch.path("dump-")
      let run = try runLossLang(["-e", source], environment: ["LOSSLANG_DUMP_KERNELS": dump.path, "LOSSLANG_NATIVE": "all"])
      #expect(run.status == 0, "\(run.stderr)")
      dumps.append(Set(try FileManager.default.contentsOfDirectory(atPath: dump.path)))
    }
    try #require(!dumps[0].isEmpty, "no native kernel was generated")
    #expect(dumps.allSatisfy { $0 == dumps[0] })
  }

  @Test func anUncreatableDirectoryIsAUsageError() throws {
    let file = TestScratch.path("plain-")
    try Data().write(to: file)
    let run = try runLossLang(
      ["-e", "1"], environment: ["LOSSLANG_DUMP_KERNELS": file.appendingPathComponent("kernels").path])
    #expect(run.status == 64)
    #expect(run.stderr.contains("LOSSLANG_DUMP_KERNELS: cannot create the directory"), "\(run.stderr)")
  }
}
