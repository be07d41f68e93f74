/// The decoder of `digits.bin`, the handwritten digits in the packed format
/// `scripts/make_digits.py` writes (see it, and README.md next to the file):
/// "LLDG", the row count (2 bytes, little-endian), the pixels per row (1 byte), one 4-bit
/// label per row (high half first), then the pixels as bits, most significant first:
/// `0` for 0, `1` and 4 bits of value − 1 for 1…16.
struct PackedDigits {
  /// The number of images.
  let rows: Int
  /// Pixels per image (64 for 8×8).
  let width: Int
  /// Pixel values 0…16, row by row.
  let pixels: [Double]
  /// One class index 0…9 per image.
  let labels: [Double]

  /// The four bytes a packed file starts with.
  static let magic: [UInt8] = Array("LLDG".utf8)

  /// Decodes `bytes`; a file that is cut short, has another header or carries bytes after
  /// its data is an error (it is compiled into the library, so this means a broken build).
  init(_ bytes: [UInt8]) throws {
    let header = Self.magic.count + 3
    guard bytes.count >= header, Array(bytes[0..<Self.magic.count]) == Self.magic else {
      throw Self.damaged("it does not start with the packed-digits header")
    }
    rows = Int(bytes[4]) | Int(bytes[5]) << 8
    width = Int(bytes[6])
    let labelBytes = (rows + 1) / 2
    guard bytes.count >= header + labelBytes else { throw Self.damaged("its labels are cut short") }
    labels = (0..<rows).map { i in
      let byte = bytes[header + i / 2]
      return Double(i % 2 == 0 ? byte >> 4 : byte & 0x0F)
    }
    var reader = BitReader(bytes, from: header + labelBytes)
    var pixels = [Double](repeating: 0, count: rows * width)
    for i in pixels.indices {
      if try reader.bit() { pixels[i] = Double(try reader.bits(4) + 1) }
    }
    guard reader.remainingWholeBytes == 0 else { throw Self.damaged("it has bytes after its pixels") }
    self.pixels = pixels
  }

  /// The error for a packed file that cannot be read.
  static func damaged(_ reason: String) -> LossLangError {
    LossLangError(.io, "the built-in digits data are damaged: \(reason)")
  }

  /// Reads bits, most significant first, from a byte array.
  private struct BitReader {
    let bytes: [UInt8]
    /// The next bit's position, counted in bits from the start of `bytes`.
    var position: Int

    init(_ bytes: [UInt8], from byte: Int) {
      (self.bytes, position) = (bytes, byte * 8)
    }

    /// Whole bytes after the one holding the next bit.
    var remainingWholeBytes: Int { bytes.count - (position + 7) / 8 }

    /// The next bit.
    mutating func bit() throws -> Bool {
      guard position / 8 < bytes.count else { throw PackedDigits.damaged("its pixels are cut short") }
      defer { position += 1 }
      return bytes[position / 8] >> (7 - UInt8(position % 8)) & 1 == 1
    }

    /// The next `count` bits as an unsigned number.
    mutating func bits(_ count: Int) throws -> Int {
      var value = 0
      for _ in 0..<count { value = value << 1 | (try bit() ? 1 : 0) }
      return value
    }
  }
}
