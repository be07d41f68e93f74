// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "LossLang",
  // Synchronization (Atomic, Mutex) needs macOS 15; no effect on Linux.
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "LossLang", targets: ["LossLang"]),
    .executable(name: "losslang", targets: ["losslang"]),
    // A native plugin built from this package, loaded at run time through the plugin ABI.
    .library(name: "LossLangSparsemax", type: .dynamic, targets: ["LossLangSparsemax"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // SHA-256 of native-kernel libraries in the disk cache (verified before loading).
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    // MARK: - Public API
    .target(
      name: "LossLang",
      dependencies: ["CLossKernel", "LossLangPluginABI", .product(name: "Crypto", package: "swift-crypto")],
      // The digits data set's provenance and licence, next to it (not a resource).
      exclude: ["Training/Datasets/README.md"],
      // Compiled in, not copied: `Runtime/Stdlib` links to stdlib/ (the prelude), and the
      // files in `Kernel/NativeKernels/Headers` to the C kernel's headers native kernels include;
      // `digits.bin` is the data set `load_dataset("digits")` returns (packed: docs/training.md).
      resources: [
        .embedInCode("Runtime/Stdlib"), .embedInCode("Kernel/NativeKernels/Headers"),
        .embedInCode("Training/Datasets/digits.bin"),
      ]
    ),
    // The stable C ABI of native plugins (header only): include/losslang_plugin.h.
    .target(name: "LossLangPluginABI"),
    .executableTarget(
      name: "losslang",
      dependencies: [
        "LossLang",
        "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Implementation details
    .target(
      name: "CLossKernel",
      cSettings: [.unsafeFlags(["-O3"])]
    ),
    // GNU readline for the REPL: the one system prerequisite (no pkgConfig: its flags are
    // prohibited by SwiftPM; `link "readline"` in the module map is enough).
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]
    ),

    // The in-tree native plugin: sparsemax, through the same ABI any plugin uses.
    .target(
      name: "LossLangSparsemax",
      dependencies: ["LossLangPluginABI"]
    ),
    // The embedding example: README runs it with `swift run -c release embedding-example`.
    .executableTarget(
      name: "embedding-example",
      dependencies: ["LossLang"],
      path: "examples/embedding"
    ),
    // The CompiledLoss per-call benchmark (W6): `swift run -c release losslang-bench [DIR]`.
    .executableTarget(
      name: "losslang-bench",
      dependencies: ["LossLang"],
      path: "benchmarks/swift"
    ),
    // libFuzzer target over parse + evaluate: scripts/fuzz.sh builds it with --sanitize=fuzzer.
    .executableTarget(
      name: "Fuzz",
      dependencies: ["LossLang"]
    ),

    // MARK: - Unit test bundles
    .testTarget(
      name: "LossLangTests",
      dependencies: ["LossLang"],
      exclude: ["Fixtures", "Scripts"]
    ),
  ]
)
