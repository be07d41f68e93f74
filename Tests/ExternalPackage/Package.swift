// swift-tools-version:6.1
// A package outside LossLang that depends on it by path, as a user's project would.
// Built and run by Tests/LossLangTests/Embedding/ExternalPackageTests.swift.
import PackageDescription

let package = Package(
  name: "ExternalUser",
  dependencies: [.package(name: "LossLang", path: "../..")],
  targets: [
    .executableTarget(name: "ExternalUser", dependencies: [.product(name: "LossLang", package: "LossLang")])
  ]
)
