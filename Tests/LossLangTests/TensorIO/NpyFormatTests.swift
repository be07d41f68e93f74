import Foundation
import Testing

@testable import LossLang

/// Round trips, numpy-written fixtures and corrupt input for `NpyFormat`.
@Suite struct NpyFormatTests {
  /// Encodes and decodes a tensor, checking shape, dtype and every value survive.
  private func roundTrip(_ values: [Double], shape: [Int], dtype: DType) throws {
    let t = try Tensor(values, shape: shape, dtype: dtype)
    let back = try NpyFormat.decode(NpyFormat.encode(t))
    #expect(back.shape == shape)
    #expect(back.dtype == dtype)
    #expect(back.scalars == t.scalars)
  }

  @Test func roundTripsShapesAndDtypes() throws {
    for dtype in DType.allCases {
      try roundTrip([1.5, -2.25, 0.1], shape: [3], dtype: dtype)
      try roundTrip([1, 2, 3, 4, 5, 6.125], shape: [2, 3], dtype: dtype)
      try roundTrip([0.5], shape: [], dtype: dtype)
      try roundTrip([], shape: [0, 4], dtype: dtype)
      try roundTrip([.infinity, -.infinity, -0.0, 1e-30], shape: [2, 1, 2], dtype: dtype)
    }
  }

  @Test func encodedDataIsAlignedTo64Bytes() throws {
    for shape in [[3], [], [0, 4], [2, 3], [123_456_789_012, 0]] {
      let bytes = NpyFormat.encode(try Tensor(zeros: shape, dtype: .float32))
      let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      #expect((10 + headerLength) % 64 == 0)
      #expect(bytes[10 + headerLength - 1] == 0x0A)
    }
  }

  @Test(arguments: ["f4_2x3.npy", "f8_3.npy", "f8_scalar.npy", "f4_empty_0x4.npy", "b1_4.npy", "b1_2x3.npy"])
  func encodeMatchesNumpyByteForByte(name: String) throws {
    let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TensorIOFixtures.npy(name))))
    #expect(NpyFormat.encode(try NpyFormat.decode(original)) == original)
  }

  @Test func readsFloat32Matrix() throws {
    let t = try NpyFormat.read(path: TensorIOFixtures.npy("f4_2x3.npy"))
    #expect(t.shape == [2, 3])
    #expect(t.dtype == .float32)
    #expect(t.scalars == [0.5, -1.25, 3.0, Double(Float(1e-3)), 2.5e6, 0])
    #expect(t[flat: 5].sign == .minus)
  }

  @Test func readsFloat64VectorAndScalar() throws {
    let v = try NpyFormat.read(path: TensorIOFixtures.npy("f8_3.npy"))
    #expect(v.shape == [3] && v.dtype == .float64)
    #expect(v.scalars == [0.1, -2.0, 1e300])
    let s = try NpyFormat.read(path: TensorIOFixtures.npy("f8_scalar.npy"))
    #expect(s.shape == [] && s.dtype == .float64 && s.scalars == [3.25])
  }

  @Test func readsEmpty() throws {
    let t = try NpyFormat.read(path: TensorIOFixtures.npy("f4_empty_0x4.npy"))
    #expect(t.shape == [0, 4] && t.count == 0)
  }

  @Test func integersBecomeFloat32AndBoolsStayBool() throws {
    let i4 = try NpyFormat.read(path: TensorIOFixtures.npy("i4_2x2.npy"))
    #expect(i4.shape == [2, 2] && i4.dtype == .float32)
    #expect(i4.scalars == [1, -2, 30000, -2147483648])
    let i8 = try NpyFormat.read(path: TensorIOFixtures.npy("i8_3.npy"))
    #expect(i8.dtype == .float32 && i8.scalars == [0, -7, 1_099_511_627_776])
    let b1 = try NpyFormat.read(path: TensorIOFixtures.npy("b1_4.npy"))
    #expect(b1.dtype == .bool && b1.scalars == [1, 0, 0, 1])
    let u1 = try NpyFormat.read(path: TensorIOFixtures.npy("u1_3.npy"))
    #expect(u1.scalars == [0, 128, 255])
  }

  @Test func readsBigEndianAndLaterVersions() throws {
    let be4 = try NpyFormat.read(path: TensorIOFixtures.npy("bigendian_f4_2.npy"))
    #expect(be4.dtype == .float32 && be4.scalars == [1.5, -2.0])
    let be8 = try NpyFormat.read(path: TensorIOFixtures.npy("bigendian_f8_2.npy"))
    #expect(be8.dtype == .float64 && be8.scalars == [1.5, -2.0])
    let v2 = try NpyFormat.read(path: TensorIOFixtures.npy("v2_f4_3.npy"))
    #expect(v2.scalars == [1, 2, 3])
    let v3 = try NpyFormat.read(path: TensorIOFixtures.npy("v3_f4_2.npy"))
    #expect(v3.scalars == [4, 5])
  }

  @Test(arguments: [
    ("fortran_2x3.npy", "fortran_order"), ("c8_2.npy", "'<c8'"), ("structured_2.npy", "structured"),
  ])
  func rejectsUnsupportedFiles(name: String, fragment: String) throws {
    let error = try #require(throws: TensorError.self) {
      try NpyFormat.read(path: TensorIOFixtures.npy(name))
    }
    #expect(error.message.contains(fragment))
    #expect(error.kind == .invalid)
  }

  /// Decodes bytes that must fail, returning the error message.
  private func failure(_ bytes: [UInt8]) throws -> String {
    try #require(throws: TensorError.self) { try NpyFormat.decode(bytes) }.message
  }

  @Test func corruptBytesThrowInsteadOfCrashing() throws {
    let good = NpyFormat.encode(try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]))
    #expect(try failure([]).contains("magic"))
    #expect(try failure(Array("PK\u{3}\u{4} not numpy".utf8)).contains("magic"))
    #expect(try failure(Array(good.dropLast(4))).contains("truncated"))
    #expect(try failure(Array(good.prefix(40))).contains("truncated"))
    var badVersion = good
    badVersion[6] = 9
    #expect(try failure(badVersion).contains("version"))
    var garbage = good
    for i in 10..<30 { garbage[i] = UInt8(ascii: "#") }
    #expect(try failure(garbage).contains("malformed"))
  }

  @Test func hostileHeadersAreRejected() throws {
    let headers = [
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }",
      "{'descr': '<f4', 'fortran_order': False}",
      "{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ",
      "{'descr': '<f4 , 'fortran_order': False, 'shape': (1,), }",
      String(repeating: "(", count: 5000),
      "{'descr': '<f3', 'fortran_order': False, 'shape': (1,), }",
    ]
    for header in headers {
      let body = Array(header.utf8) + [0x0A]
      let bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(body.count & 0xFF), UInt8(body.count >> 8)] + body
      #expect(throws: TensorError.self) { try NpyFormat.decode(bytes) }
    }
  }

  @Test func acceptsPython2LongShapes() throws {
    let body = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }\n".utf8)
    let data: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]
    let bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(body.count), 0] + body + data
    #expect(try NpyFormat.decode(bytes).scalars == [1, 2])
  }

  @Test func fileWriteThenRead() throws {
    let path = TensorIOFixtures.temporaryPath(".npy")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let t = try Tensor([0.25, -8], shape: [2, 1], dtype: .float64)
    try NpyFormat.write(t, path: path)
    let back = try NpyFormat.read(path: path)
    #expect(back.shape == [2, 1] && back.dtype == .float64 && back.scalars == [0.25, -8])
  }

  @Test func fileErrorsAreIOErrors() throws {
    let missing = try #require(throws: TensorError.self) { try NpyFormat.read(path: "x.npy") }
    #expect(missing.message == "cannot open 'x.npy': No such file or directory")
    #expect(missing.kind == .io)
    let directory = try #require(throws: TensorError.self) {
      try NpyFormat.read(path: FileManager.default.temporaryDirectory.path)
    }
    #expect(directory.kind == .io)
    let unwritable = try #require(throws: TensorError.self) {
      try NpyFormat.write(Tensor(scalar: 1), path: "/nonexistent-dir/out.npy")
    }
    #expect(unwritable.kind == .io && unwritable.message.contains("No such file or directory"))
  }
}
