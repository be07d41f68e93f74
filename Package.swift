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
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),

    // MARK: - Implementation details
    .target(
      name: "CLossKernel",
      cSettings: [.unsafeFlags(["-O3"])]
    ),

    // MARK: - Unit test bundles
    .testTarget(
      name: "LossLangTests",
      dependencies: ["LossLang"],
      exclude: ["Fixtures", "Scripts"]
    ),
  ]
)
