// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "LossLang",
  products: [
    .library(name: "LossLang", targets: ["LossLang"]),
    .executable(name: "losslang", targets: ["losslang"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Public API
    .target(
      name: "LossLang",
      dependencies: ["CLossKernel"]
    ),
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
