import Foundation
import Testing

/// `rsvg-convert` (Debian's `librsvg2-bin`) found on `PATH`, the real SVG renderer the
/// picture tests draw with; nil when it is not installed.
let rsvgConvert: URL? = {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
  return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("rsvg-convert") }
    .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}()

/// What rendering one SVG file to PNG gave.
struct SVGRasterization {
  /// The run of `rsvg-convert` (status 0 when it rendered without error).
  let run: ProcessRun
  /// The PNG's width and height from its IHDR chunk; nil when no PNG was written.
  let size: (width: Int, height: Int)?
  /// The PNG file's size in bytes (0 when none was written).
  let bytes: Int
}

/// Renders the SVG file `svg` to the PNG file `png` with `rsvg-convert -o png svg` and reads
/// the PNG's header; the test fails (not errors out) when `rsvg-convert` is not installed.
func rasterize(_ svg: URL, to png: URL) throws -> SVGRasterization {
  let renderer = try #require(rsvgConvert, "rsvg-convert not found on PATH (Debian: apt-get install librsvg2-bin)")
  let run = try runProcess(renderer, ["-o", png.path, svg.path])
  let data = (try? Data(contentsOf: png)) ?? Data()
  return SVGRasterization(run: run, size: pngSize(data), bytes: data.count)
}

/// The width and height a PNG's IHDR chunk declares: after the 8-byte signature, the first
/// chunk (length, `IHDR`) holds them as big-endian 32-bit integers at bytes 16…23. Nil when
/// `data` does not start like a PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
  let bytes = [UInt8](data.prefix(24))
  let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
    return nil
  }
  func integer(at offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
  return (integer(at: 16), integer(at: 20))
}
