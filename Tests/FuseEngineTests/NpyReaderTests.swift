import Foundation
import Testing

@testable import FuseEngine

/// The expected values written by Fixtures/make_npy_fixtures.py next to the fixtures.
struct NpyExpectations {
  struct Array: Decodable {
    var dtype: String
    var shape: [Int]
    var values: [Double]
  }

  var arrays: [String: Array]
  var refused: [String: String]

  static let shared: NpyExpectations = {
    struct File: Decodable {
      var arrays: [String: Array]
      var refused: [String: String]
    }
    let url = DataTestPaths.npyFixtures.appendingPathComponent("expected.json")
    let file = try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    return NpyExpectations(arrays: file.arrays, refused: file.refused)
  }()
}

@Suite("NumPy .npy reader")
struct NpyReaderTests {
  static let arrayNames: [String] = NpyExpectations.shared.arrays.keys.sorted()
  static let refusedNames: [String] = NpyExpectations.shared.refused.keys.sorted()

  @Test("the fixtures cover every dtype, both byte orders, versions 1-3 and Fortran order")
  func fixturesCoverTheFormat() {
    let dtypes = Set(NpyExpectations.shared.arrays.values.map(\.dtype))
    for code in ["i2", "u2", "i4", "u4", "i8", "u8", "f2", "f4", "f8"] {
      #expect(dtypes.contains("<" + code) && dtypes.contains(">" + code), "\(code)")
    }
    #expect(dtypes.isSuperset(of: ["|b1", "|i1", "|u1", "=f8"]))
    #expect(Self.arrayNames.contains("f4_v2.npy") && Self.arrayNames.contains("i4_v3.npy"))
  }

  @Test("reads what NumPy wrote", arguments: arrayNames)
  func readsFixture(name: String) throws {
    let expected = try #require(NpyExpectations.shared.arrays[name])
    let array = try readNumpy(path: DataTestPaths.npyFixtures.appendingPathComponent(name).path)
    #expect(array.dtype == expected.dtype)
    #expect(array.shape == expected.shape)
    #expect(array.values == expected.values)
    // Bit for bit, so that a lost sign of -0.0 shows too.
    #expect(array.values.map(\.bitPattern) == expected.values.map(\.bitPattern))
  }

  @Test("refuses arrays that are not plain numbers, naming file and dtype", arguments: refusedNames)
  func refusesNonNumeric(name: String) throws {
    let path = DataTestPaths.npyFixtures.appendingPathComponent(name).path
    let dtype = try #require(NpyExpectations.shared.refused[name])
    let error = try #require(throws: DataError.self) { try readNumpy(path: path) }
    guard case .unsupportedNumpyType(let errorPath, let errorDtype, _) = error else {
      Issue.record("expected unsupportedNumpyType, got \(error)")
      return
    }
    #expect(errorPath == path)
    #expect(errorDtype == dtype)
    #expect(error.description.contains(name) && error.description.contains(dtype))
  }

  @Test("Fortran order is reordered to row-major")
  func fortranOrder() throws {
    let path = DataTestPaths.npyFixtures.appendingPathComponent("f8_fortran_3d.npy").path
    let array = try readNumpy(path: path)
    // np.arange(24).reshape(2, 3, 4) - 5.5: row-major element [i, j, k] is 12i + 4j + k - 5.5.
    #expect(array.values == (0..<24).map { Double($0) - 5.5 })
  }

  @Test("a matrix view: 2-d as is, 1-d as one column, more axes flattened")
  func matrixView() throws {
    func load(_ name: String) throws -> NumpyArray {
      try readNumpy(path: DataTestPaths.npyFixtures.appendingPathComponent(name).path)
    }
    let twoD = try load("i4_v3.npy").matrix()
    #expect(twoD.rows == 3 && twoD.columns == 2 && twoD[2, 1] == 5)
    let oneD = try load("i8_1d.npy").matrix()
    #expect(oneD.rows == 3 && oneD.columns == 1 && oneD.values == [5, -6, 7])
    let fourD = try load("u1_4d.npy").matrix()
    #expect(fourD.rows == 2 && fourD.columns == 8 && fourD[1, 0] == 8)
    let empty = try load("f4_empty_2d.npy").matrix()
    #expect(empty.rows == 3 && empty.columns == 0)
  }

  @Test("the half-precision decoder handles subnormals, infinities and NaN")
  func halfPrecision() {
    #expect(halfToDouble(0x0001) == 0x1p-24)
    #expect(halfToDouble(0x7BFF) == 65504)
    #expect(halfToDouble(0xFC00) == -.infinity)
    #expect(halfToDouble(0x7E00).isNaN)
    #expect(halfToDouble(0x3C00) == 1)
  }
}

@Suite("NumPy .npy reader: damaged files")
struct NpyDamagedFileTests {
  private func fixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: DataTestPaths.npyFixtures.appendingPathComponent(name)))
  }

  private func malformed(_ bytes: [UInt8]) throws -> (path: String, offset: Int?, reason: String) {
    let folder = try DataTestPaths.temporaryFolder()
    let path = try DataTestPaths.write(bytes, to: "damaged.npy", in: folder)
    let error = try #require(throws: DataError.self) { try readNumpy(path: path) }
    guard case .malformedNumpy(let errorPath, let offset, let reason) = error else {
      Issue.record("expected malformedNumpy, got \(error)")
      return ("", nil, "")
    }
    #expect(errorPath == path && error.description.contains("damaged.npy"))
    return (errorPath, offset, reason)
  }

  @Test("a file without the magic string")
  func badMagic() throws {
    var bytes = try fixtureBytes("f8_le.npy")
    bytes[1] = UInt8(ascii: "X")
    let found = try malformed(bytes)
    #expect(found.offset == 0 && found.reason.contains("magic"))
  }

  @Test("a CSV file passed as .npy")
  func notNumpyAtAll() throws {
    let found = try malformed(Array("a,b\n1,2\n".utf8))
    #expect(found.offset == 0)
  }

  @Test("data cut short names the bytes needed and found")
  func truncatedData() throws {
    let bytes = try fixtureBytes("f8_le.npy")  // 128-byte header, 6 doubles
    let found = try malformed(Array(bytes.dropLast(5)))
    #expect(found.reason.contains("truncated") && found.reason.contains("48 bytes"))
    #expect(found.reason.contains("only 43 remain") && found.offset == bytes.count - 5)
  }

  @Test("a header cut short")
  func truncatedHeader() throws {
    let found = try malformed(Array(try fixtureBytes("f8_le.npy").prefix(40)))
    #expect(found.reason.contains("header") && found.offset == 40)
  }

  @Test("a header nested 100000 brackets deep stops at the nesting limit")
  func deeplyNestedHeader() throws {
    let shape = String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000)
    let header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape)}".utf8)
    let length = UInt32(header.count)
    let bytes =
      [0x93] + Array("NUMPY".utf8) + [2, 0]
      + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header
    let found = try malformed(bytes)
    #expect(found.reason == "bad header: brackets nest more than 32 levels deep")
    #expect(found.offset == 12 + 49 + 32)
  }

  @Test("an empty array whose other sizes overflow an Int is refused")
  func emptyArrayWithHugeRows() throws {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let length = header.utf8.count
    let bytes =
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
      + Array(header.utf8)
    #expect(try malformed(bytes).reason == "the shape [0, 4294967296, 4294967296] is too large")
  }

  /// The byte offset of the first occurrence of `text` in `bytes`.
  private func offset(of text: String, in bytes: [UInt8]) throws -> Int {
    let pattern = Array(text.utf8)
    let found = (0...(bytes.count - pattern.count)).first {
      Array(bytes[$0..<($0 + pattern.count)]) == pattern
    }
    return try #require(found)
  }

  @Test("a header that does not parse gives the byte offset of the problem")
  func headerDoesNotParse() throws {
    var bytes = try fixtureBytes("f8_le.npy")
    // Turn "'shape': (2, 3)" into "'shape': (2; 3)".
    let position = try offset(of: "(2, 3)", in: bytes) + 2
    bytes[position] = UInt8(ascii: ";")
    let found = try malformed(bytes)
    #expect(found.offset == position)
    #expect(found.reason == "bad header: expected ',' or ')'")
  }

  @Test("a header without a shape, and a negative dimension")
  func headerMissingKeys() throws {
    var bytes = try fixtureBytes("f8_le.npy")
    bytes[try offset(of: "'shape'", in: bytes) + 1] = UInt8(ascii: "S")
    #expect(try malformed(bytes).reason.contains("'shape' is missing"))

    // Same length: "(2, 3)" becomes "(-2,3)".
    var negative = try fixtureBytes("f8_le.npy")
    let position = try offset(of: "(2, 3)", in: negative)
    negative.replaceSubrange(position..<(position + 6), with: Array("(-2,3)".utf8))
    #expect(try malformed(negative).reason.contains("non-negative"))
  }

  @Test("a version 2.0 file cut inside its 4-byte header length")
  func truncatedHeaderLength() throws {
    let found = try malformed(Array(try fixtureBytes("f4_v2.npy").prefix(10)))
    #expect(found.offset == 8 && found.reason.contains("header length"))
  }

  @Test("an unknown format version")
  func unknownVersion() throws {
    var bytes = try fixtureBytes("f8_le.npy")
    bytes[6] = 4
    let found = try malformed(bytes)
    #expect(found.offset == 6 && found.reason.contains("4.0"))
  }

  @Test("a missing file")
  func missingFile() throws {
    let error = try #require(throws: DataError.self) {
      try readNumpy(path: "/nonexistent/features.npy")
    }
    #expect(error == .unreadable(path: "/nonexistent/features.npy", reason: "no such file"))
  }
}

/// Arrays NumPy wrote whose shape does not fit where a data set folder puts them.
@Suite("NumPy .npy files of the wrong shape in a data set folder")
struct NpyShapeTests {
  /// train/, dev/ and test/ each with `audio.npy` and labels, the train split's files
  /// replaced by the given fixtures; returns the data set folder.
  private func folder(trainFeatures: String, trainLabels: String? = nil) throws -> URL {
    let folder = try DataTestPaths.temporaryFolder()
    let fixture = { (name: String) in
      [UInt8](try Data(contentsOf: DataTestPaths.npyFixtures.appendingPathComponent(name)))
    }
    for split in ["train", "dev", "test"] {
      let splitFolder = folder.appendingPathComponent(split)
      let features = split == "train" ? trainFeatures : "f8_le.npy"
      try DataTestPaths.write(try fixture(features), to: "audio.npy", in: splitFolder)
      if split == "train", let trainLabels {
        try DataTestPaths.write(try fixture(trainLabels), to: "labels.npy", in: splitFolder)
      } else {
        try DataTestPaths.write("sit\nrun\n", to: "labels.txt", in: splitFolder)
      }
    }
    return folder
  }

  private func message(_ folder: URL) throws -> String {
    let error = try #require(throws: DataError.self) { try loadDataset(at: folder.path) }
    return error.description
  }

  @Test("a 0-d array as features")
  func scalarFeatures() throws {
    let folder = try folder(trainFeatures: "f8_scalar.npy")
    let path = folder.appendingPathComponent("train/audio.npy").path
    #expect(try message(folder) == "\(path): holds a single value (a 0-d array)")
  }

  @Test("features with more rows than there are labels")
  func rowsDisagreeWithLabels() throws {
    // i4_v3.npy is 3 x 2; the labels file names 2 samples.
    let folder = try folder(trainFeatures: "i4_v3.npy")
    let path = folder.appendingPathComponent("train/audio.npy").path
    #expect(try message(folder) == "\(path): has 3 samples but the labels file has 2")
  }

  @Test("labels that are a 2-d array of several columns")
  func twoDimensionalLabels() throws {
    let folder = try folder(trainFeatures: "f8_le.npy", trainLabels: "f8_le.npy")
    let path = folder.appendingPathComponent("train/labels.npy").path
    #expect(try message(folder) == "\(path): labels must be a 1-d array, got shape [2, 3]")
  }

  @Test("labels that are not whole numbers")
  func fractionalLabels() throws {
    // f4_v2.npy holds linspace(-1, 1, 5): the second value is -0.5.
    let folder = try folder(trainFeatures: "f8_le.npy", trainLabels: "f4_v2.npy")
    let path = folder.appendingPathComponent("train/labels.npy").path
    #expect(try message(folder) == "\(path): label 1 is -0.5, not an integer")
  }
}

@Suite("NumPy .npy reader on the MELD MiniLM embeddings")
struct NpyMeldTests {
  // Expected values from NumPy:
  //   python3 -c "import numpy as np; a=np.load('dev_minilm.npy');
  //     print(a.shape, a.dtype, float(a[0,0]), float(a[1108,383]), float(a[5,17]))"
  @Test(
    "dev_minilm.npy: shape, dtype and values match NumPy",
    .enabled(if: DataTestPaths.meldAvailable, "needs ../shared/data (MELD); absent here"))
  func meldEmbeddings() throws {
    let path = DataTestPaths.sharedData.appendingPathComponent("meld_minilm/dev_minilm.npy").path
    let array = try readNumpy(path: path)
    #expect(array.shape == [1109, 384] && array.dtype == "<f4")
    let matrix = array.matrix()
    #expect(matrix[0, 0] == Float(0.017987409606575966))
    #expect(matrix[1108, 383] == Float(-0.020110562443733215))
    #expect(matrix[5, 17] == Float(-0.061252444982528687))
  }
}
