import Foundation
import Testing

/// The reference runs of `fit` and `batches` in `Fixtures/training_fit.json`, written by
/// `scripts/make_fit_fixtures.py` (a PyTorch loop in float64; batch orders from
/// `scripts/rng_reference.py`).
struct TrainingFixtures: Decodable {
  /// One `fit` run: LossLang `setup`, the `fit` call, the expected per-step losses and the
  /// final parameters (flattened, by name).
  struct Fit: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let setup: String
    let call: String
    let history: [Double]
    let params: [String: [Double]]

    var testDescription: String { name }
  }

  /// The rows of each batch `batches([x, y], batch_size, seed=seed, drop_last=drop_last)`
  /// takes from 20 rows.
  struct Batches: Decodable, Sendable, CustomTestStringConvertible {
    let seed: Int
    let batchSize: Int
    let dropLast: Bool
    let rows: [[Int]]

    enum CodingKeys: String, CodingKey {
      case seed, rows
      case batchSize = "batch_size"
      case dropLast = "drop_last"
    }

    var testDescription: String { "seed \(seed), batch_size \(batchSize), drop_last \(dropLast)" }
  }

  let fit: [Fit]
  let batches: [Batches]

  /// The file's contents (empty when it cannot be read, which the tests' `#require` reports).
  static let loaded: TrainingFixtures = {
    let url = FixtureFile.url("training_fit.json")
    guard let data = try? Data(contentsOf: url), let fixtures = try? JSONDecoder().decode(Self.self, from: data) else {
      return TrainingFixtures(fit: [], batches: [])
    }
    return fixtures
  }()
}

/// A training test's value that is not of the expected kind.
struct TrainingTestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
