import Foundation

/// One tensor as a flat array of Float32 in row-major order, with its shape.
public struct SafeTensor: Equatable, Sendable {
  public var shape: [Int]
  public var values: [Float]

  public init(shape: [Int], values: [Float]) {
    self.shape = shape
    self.values = values
  }

  /// A matrix as a tensor of shape [rows, columns].
  public init(_ matrix: Matrix) {
    self.init(shape: [matrix.rows, matrix.columns], values: matrix.values)
  }
}

/// One tensor of 64-bit signed integers (safetensors' I64, NumPy's int64), row-major.
public struct SafeIntegerTensor: Equatable, Sendable {
  public var shape: [Int]
  public var values: [Int64]

  public init(shape: [Int], values: [Int64]) {
    self.shape = shape
    self.values = values
  }
}

/// A safetensors file opened for reading: its header is parsed and checked, its data
/// is mapped, and tensors are converted to Float32 when asked for.
///
/// The format: an unsigned 64-bit little-endian header length N, N bytes of a JSON
/// object, then the data. The object maps each tensor name to its `dtype`, `shape` and
/// `data_offsets` [begin, end) relative to the start of the data, and may hold a
/// `__metadata__` object of strings. The reader is strict, as the reference
/// implementation is: the tensors must tile the data exactly, without gaps or overlaps.
public struct SafeTensorsFile {
  /// Where a tensor's bytes are and how to read them.
  public struct Entry: Equatable, Sendable {
    public var dtype: SafeTensorDType
    public var shape: [Int]
    /// Byte range within the data section (after the header).
    public var dataRange: Range<Int>
  }

  /// Headers above this size are refused, as the reference implementation does.
  public static let maximumHeaderSize = 100_000_000

  public let path: String
  public let metadata: [String: String]
  public let entries: [String: Entry]
  private let bytes: Data
  private let dataStart: Int

  /// The tensor names, sorted.
  public var names: [String] { entries.keys.sorted() }

  /// Opens and validates the file at `path`.
  public init(path: String) throws {
    let contents: Data
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      throw SafeTensorsError.unreadable(path: path, reason: "there is no such file")
    }
    if isFolder.boolValue {
      throw SafeTensorsError.unreadable(path: path, reason: "it is a folder, not a file")
    }
    do {
      contents = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
    } catch {
      throw SafeTensorsError.unreadable(path: path, reason: error.localizedDescription)
    }
    try self.init(data: contents, path: path)
  }

  /// Parses a file's bytes; `path` is only used in error messages.
  public init(data contents: Data, path: String) throws {
    func bad(_ reason: String) -> SafeTensorsError { .malformedHeader(path: path, reason: reason) }

    guard contents.count >= 8 else {
      throw bad("the file has \(contents.count) bytes, fewer than the 8-byte header length")
    }
    let declared = contents.withUnsafeBytes {
      UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    }
    guard declared <= UInt64(Self.maximumHeaderSize) else {
      throw bad("header length \(declared) is above the limit of \(Self.maximumHeaderSize) bytes")
    }
    let headerLength = Int(declared)
    guard 8 + headerLength <= contents.count else {
      throw bad(
        "header length \(headerLength) runs past the end of the file (\(contents.count) bytes)")
    }
    let headerBytes = contents.subdata(
      in: contents.startIndex + 8..<contents.startIndex + 8 + headerLength)
    guard headerBytes.first == UInt8(ascii: "{") else {
      throw bad("the header does not start with '{'")
    }

    let header = try SafeTensorsHeader.parse(headerBytes, path: path)
    let dataSize = contents.count - 8 - headerLength
    try Self.checkLayout(header.entries, dataSize: dataSize, path: path)

    self.path = path
    self.metadata = header.metadata
    self.entries = header.entries
    self.bytes = contents
    self.dataStart = 8 + headerLength
  }

  /// Checks sizes against shapes, and that the tensors tile the data with no gap or overlap.
  private static func checkLayout(_ entries: [String: Entry], dataSize: Int, path: String) throws {
    for (name, entry) in entries {
      let range = entry.dataRange
      guard range.upperBound <= dataSize else {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name,
          reason: "data_offsets [\(range.lowerBound), \(range.upperBound)] run past the "
            + "\(dataSize) bytes of data")
      }
      let (elements, overflow) = entry.shape.reduce((1, false)) { partial, dimension in
        let product = partial.0.multipliedReportingOverflow(by: dimension)
        return (product.partialValue, partial.1 || product.overflow)
      }
      let (byteCount, byteOverflow) = elements.multipliedReportingOverflow(by: entry.dtype.size)
      guard !overflow, !byteOverflow, byteCount == range.count else {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name,
          reason: "shape \(entry.shape) of \(entry.dtype.rawValue) needs "
            + "\(overflow || byteOverflow ? "too many" : String(byteCount)) bytes, "
            + "but data_offsets span \(range.count)")
      }
    }

    var expectedStart = 0
    let ordered = entries.sorted {
      ($0.value.dataRange.lowerBound, $0.value.dataRange.upperBound, $0.key)
        < ($1.value.dataRange.lowerBound, $1.value.dataRange.upperBound, $1.key)
    }
    for (name, entry) in ordered {
      let range = entry.dataRange
      if range.lowerBound < expectedStart {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name,
          reason: "data_offsets [\(range.lowerBound), \(range.upperBound)] overlap the "
            + "previous tensor, which ends at \(expectedStart)")
      }
      if range.lowerBound > expectedStart {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name,
          reason: "data_offsets start at \(range.lowerBound), leaving a gap after byte "
            + "\(expectedStart)")
      }
      expectedStart = range.upperBound
    }
    guard expectedStart == dataSize else {
      throw SafeTensorsError.malformedHeader(
        path: path,
        reason: "the tensors cover \(expectedStart) bytes of data but the file holds \(dataSize)")
    }
  }

  /// The tensor `name` converted to Float32.
  public func tensor(_ name: String) throws -> SafeTensor {
    guard let entry = entries[name] else {
      throw SafeTensorsError.missingTensor(path: path, tensor: name)
    }
    var values: [Float] = []
    bytes.withUnsafeBytes { raw in
      let start = dataStart + entry.dataRange.lowerBound
      let slice = UnsafeRawBufferPointer(rebasing: raw[start..<start + entry.dataRange.count])
      entry.dtype.decode(slice, count: entry.dataRange.count / entry.dtype.size, into: &values)
    }
    return SafeTensor(shape: entry.shape, values: values)
  }

  /// The tensor `name`, which must have exactly `shape`, converted to Float32.
  public func tensor(_ name: String, shape: [Int]) throws -> SafeTensor {
    let found = try tensor(name)
    guard found.shape == shape else {
      throw SafeTensorsError.shapeMismatch(
        path: path, tensor: name, expected: shape, found: found.shape)
    }
    return found
  }

  /// The tensor `name`, which must be stored as `dtype` with exactly `shape`: for readers
  /// that must not convert, such as a checkpoint's, where a resumed run needs every bit.
  public func entry(_ name: String, dtype: SafeTensorDType, shape: [Int]) throws -> Entry {
    guard let entry = entries[name] else {
      throw SafeTensorsError.missingTensor(path: path, tensor: name)
    }
    guard entry.dtype == dtype else {
      throw SafeTensorsError.wrongDType(
        path: path, tensor: name, expected: dtype.rawValue, found: entry.dtype.rawValue)
    }
    guard entry.shape == shape else {
      throw SafeTensorsError.shapeMismatch(
        path: path, tensor: name, expected: shape, found: entry.shape)
    }
    return entry
  }

  /// The F32 tensor `name` of exactly `shape`, its values as stored.
  public func float32(_ name: String, shape: [Int]) throws -> [Float] {
    _ = try entry(name, dtype: .f32, shape: shape)
    return try tensor(name).values
  }

  /// The I64 tensor `name` of exactly `shape`, its values as stored.
  public func int64(_ name: String, shape: [Int]) throws -> [Int64] {
    let found = try entry(name, dtype: .i64, shape: shape)
    let count = found.dataRange.count / 8
    return bytes.withUnsafeBytes { raw in
      let start = dataStart + found.dataRange.lowerBound
      return (0..<count).map { index in
        Int64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * index, as: Int64.self))
      }
    }
  }

  /// The two-dimensional tensor `name` as a matrix of the given shape.
  public func matrix(_ name: String, rows: Int, columns: Int) throws -> Matrix {
    let found = try tensor(name, shape: [rows, columns])
    return Matrix(rows: rows, columns: columns, values: found.values)
  }

  /// The one-dimensional tensor `name`, which must have `count` elements.
  public func vector(_ name: String, count: Int) throws -> [Float] {
    try tensor(name, shape: [count]).values
  }
}
