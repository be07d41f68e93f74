import Foundation
import Testing

@testable import LossLang

/// `load_csv` reads the CSV files NumPy and Python's csv module write (savetxt headers, a BOM,
/// CRLF, CR-only, quoted headers, every cell quoted) to exactly the arrays NumPy's `loadtxt`
/// reads from them; fixtures from `scripts/make_csv_fixtures.py`.
@Suite struct CSVFixtureTests {
  static let names = ["savetxt_header", "savetxt_g9", "excel_bom_crlf", "cr_only", "quote_all"]

  @Test(arguments: names)
  func readsWhatNumPyReads(_ name: String) throws {
    let expected = try NpyFormat.read(path: TensorIOFixtures.csv(name + ".npy"))
    let got = try CSVReader.read(path: TensorIOFixtures.csv(name + ".csv"))
    #expect(got.shape == expected.shape && got.dtype == .float32)
    let differing = (0..<expected.count).filter { i in
      got[flat: i].bitPattern != expected[flat: i].bitPattern && !(got[flat: i].isNaN && expected[flat: i].isNaN)
    }
    #expect(differing.isEmpty, "\(name): \(differing.count) values differ, first at \(differing.first ?? -1)")
  }
}
