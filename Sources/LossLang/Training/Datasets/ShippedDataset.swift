/// A data set shipped inside LossLang, by the name `load_dataset` takes.
///
/// The files live next to this one and reach the binary through SwiftPM's `.embedInCode`
/// (Package.swift), so they are found from any working directory with nothing installed.
enum ShippedDataset: String, CaseIterable, Sendable {
  /// The 1 797 8×8 handwritten digits of UCI's "Optical Recognition of Handwritten Digits"
  /// (Alpaydin & Kaynak 1998, CC BY 4.0) as scikit-learn ships them: pixels 0…16, labels 0…9.
  case digits

  /// Inputs and class-index targets: float32 (n, features) and float32 (n).
  typealias Arrays = (inputs: Tensor, targets: Tensor)

  /// Every name, in declaration order (what an unknown name's error lists).
  static var names: [String] { allCases.map(\.rawValue) }

  /// The data set's tensors, decoded on first use and then shared.
  func load() throws -> Arrays {
    switch self {
    case .digits: try Self.digitsArrays.get()
    }
  }

  /// The digits, decoded once per process.
  private static let digitsArrays = Result<Arrays, any Error> {
    let digits = try PackedDigits(PackageResources.digits_bin)
    return (
      try Tensor(digits.pixels, shape: [digits.rows, digits.width]),
      try Tensor(digits.labels, shape: [digits.rows])
    )
  }
}
