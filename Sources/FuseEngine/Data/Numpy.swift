import Foundation

/// A numeric array read from a NumPy `.npy` file, its values in row-major (C) order.
///
/// Values are held as `Double` whatever the file's type. Every bool, 8-, 16-
/// and 32-bit integer and every float is exact; 64-bit integers beyond 2^53
/// in magnitude are rounded to the nearest `Double`.
public struct NumpyArray: Equatable, Sendable {
  /// The array's shape; `[]` for a 0-d array, which holds one value.
  public var shape: [Int]

  /// The elements, last axis fastest, whatever order the file stored.
  public var values: [Double]

  /// The file's type descriptor as NumPy wrote it, such as `<f4` or `|u1`.
  public var dtype: String

  public init(shape: [Int], values: [Double], dtype: String) {
    self.shape = shape
    self.values = values
    self.dtype = dtype
  }

  /// The array as a matrix of 32-bit floats, one row per entry of the first axis.
  ///
  /// A 2-d array keeps its shape. A 1-d array of n values becomes an n x 1
  /// matrix (one feature per sample). An array of more axes keeps its first
  /// axis as rows and flattens the others, last axis fastest, into columns.
  /// A 0-d array becomes a 1 x 1 matrix.
  public func matrix() -> Matrix {
    let rows = shape.first ?? 1
    let columns = shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *)
    return Matrix(rows: rows, columns: columns, values: values.map { Float($0) })
  }
}

/// Reads a NumPy `.npy` file of any numeric type NumPy writes.
///
/// Understands format versions 1.0, 2.0 and 3.0; bool, signed and unsigned
/// integers of 8 to 64 bits and floats of 16, 32 and 64 bits, in either byte
/// order (`'='`, the machine's own order, is read as little-endian); C and
/// Fortran order (Fortran-ordered data is reordered to row-major); any shape,
/// including 0-d and empty arrays.
///
/// - Throws: `DataError.unreadable` when the file cannot be read,
///   `DataError.malformedNumpy` for a bad magic string, a header that does
///   not parse or too few data bytes, and `DataError.unsupportedNumpyType`
///   for object, structured, complex, string, datetime and long double arrays.
public func readNumpy(path: String) throws -> NumpyArray {
  return try fileBytes(path).withUnsafeBytes { buffer in
    let layout = try numpyLayout(UnsafeRawBufferPointer(buffer), path: path)
    var values = layout.type.decode(layout.data, count: layout.count)
    if layout.header.fortranOrder, layout.header.shape.count > 1 {
      values = rowMajor(fromColumnMajor: values, shape: layout.header.shape)
    }
    return NumpyArray(shape: layout.header.shape, values: values, dtype: layout.header.descriptor)
  }
}

/// The bytes of the file at `path`, or `DataError.unreadable` saying why they cannot be read.
private func fileBytes(_ path: String) throws -> Data {
  do {
    return try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw DataError.unreadable(path: path, reason: readFailureReason(path: path, error: error))
  }
}

/// Reads a `.npy` file straight into 32-bit floats, as `NumpyArray.matrix()` converts them,
/// without the array of doubles `readNumpy` makes on the way: loading a large feature file
/// then holds its bytes and the matrix, not twice the matrix more. Returns the file's shape
/// beside the matrix. Throws as `readNumpy` does.
func readNumpyMatrix(path: String) throws -> (matrix: Matrix, shape: [Int]) {
  return try fileBytes(path).withUnsafeBytes { buffer in
    let layout = try numpyLayout(UnsafeRawBufferPointer(buffer), path: path)
    let shape = layout.header.shape
    var values = layout.type.decodeFloats(layout.data, count: layout.count)
    if layout.header.fortranOrder, shape.count > 1 {
      values = rowMajor(fromColumnMajor: values, shape: shape)
    }
    let rows = shape.first ?? 1
    let columns = shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *)
    return (Matrix(rows: rows, columns: columns, values: values), shape)
  }
}

/// Why a file could not be read, in words: missing, a folder, or the system's reason.
func readFailureReason(path: String, error: Error) -> String {
  var isFolder: ObjCBool = false
  if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
    return "no such file"
  }
  if isFolder.boolValue { return "it is a folder, not a file" }
  return error.localizedDescription
}

private let numpyMagic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

/// Where a `.npy` file's elements are and what they are, its header checked.
struct NumpyLayout {
  var header: NumpyHeader
  var type: NumpyElementType
  var count: Int
  var data: UnsafeRawBufferPointer
}

func numpyLayout(_ bytes: UnsafeRawBufferPointer, path: String) throws -> NumpyLayout {
  func malformed(_ offset: Int?, _ reason: String) -> DataError {
    .malformedNumpy(path: path, offset: offset, reason: reason)
  }

  guard bytes.count >= 8, Array(bytes[0..<6]) == numpyMagic else {
    throw malformed(0, "the file does not start with the magic string \\x93NUMPY")
  }
  let major = Int(bytes[6])
  let minor = Int(bytes[7])
  guard (1...3).contains(major), minor == 0 else {
    throw malformed(6, "unknown format version \(major).\(minor) (known: 1.0, 2.0, 3.0)")
  }

  // Version 1 stores the header length in 2 bytes, later versions in 4.
  let lengthSize = major == 1 ? 2 : 4
  let headerStart = 8 + lengthSize
  guard bytes.count >= headerStart else {
    throw malformed(8, "the file ends inside the header length")
  }
  var headerLength = 0
  for index in 0..<lengthSize { headerLength |= Int(bytes[8 + index]) << (8 * index) }
  let dataStart = headerStart + headerLength
  guard bytes.count >= dataStart else {
    throw malformed(
      bytes.count,
      "the header should be \(headerLength) bytes but the file ends \(bytes.count - headerStart)"
        + " bytes after its start")
  }

  // Versions 1 and 2 write the header in Latin-1, version 3 in UTF-8.
  let headerBytes = bytes[headerStart..<dataStart]
  let headerText =
    major == 3
    ? String(decoding: headerBytes, as: UTF8.self)
    : String(headerBytes.map { Character(Unicode.Scalar($0)) })
  let header = try parseNumpyHeader(headerText, headerStart: headerStart, path: path)

  let type = try NumpyElementType(descriptor: header.descriptor, path: path)
  let (count, overflow) = header.shape.reduce((1, false)) { partial, dimension in
    let product = partial.0.multipliedReportingOverflow(by: dimension)
    return (product.partialValue, partial.1 || product.overflow)
  }
  let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: type.size)
  // An empty array such as (0, 2**32, 2**32) holds no bytes, but its rows would have more
  // features than an Int counts: the sizes other than 0 must multiply without overflow too.
  let (_, sizesOverflow) = header.shape.filter { $0 > 0 }.reduce((1, false)) { partial, size in
    let product = partial.0.multipliedReportingOverflow(by: size)
    return (product.partialValue, partial.1 || product.overflow)
  }
  guard !overflow, !byteOverflow, !sizesOverflow else {
    throw malformed(headerStart, "the shape \(header.shape) is too large")
  }
  guard bytes.count - dataStart >= byteCount else {
    throw malformed(
      bytes.count,
      "the data is truncated: shape \(header.shape) of '\(header.descriptor)' needs "
        + "\(byteCount) bytes from byte \(dataStart), but only \(bytes.count - dataStart) remain")
  }

  let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + byteCount)])
  return NumpyLayout(header: header, type: type, count: count, data: data)
}

struct NumpyHeader {
  var descriptor: String
  var fortranOrder: Bool
  var shape: [Int]
}

/// Reads the three keys of a `.npy` header; `headerStart` places errors in the file.
func parseNumpyHeader(_ text: String, headerStart: Int, path: String) throws -> NumpyHeader {
  func malformed(_ reason: String, at characterOffset: Int = 0) -> DataError {
    .malformedNumpy(
      path: path, offset: headerStart + characterOffset, reason: "bad header: \(reason)")
  }

  var parser = PythonLiteralParser(text)
  let literal: PythonLiteral
  do {
    literal = try parser.parseAll()
  } catch let failure as PythonLiteralParser.Failure {
    throw malformed(failure.reason, at: failure.offset)
  }
  guard case .dictionary(let entries) = literal else {
    throw malformed("the header is not a dictionary")
  }
  let keys = Dictionary(entries, uniquingKeysWith: { first, _ in first })

  guard let descriptorValue = keys["descr"] else { throw malformed("no 'descr' key") }
  let descriptor: String
  switch descriptorValue {
  case .string(let text): descriptor = text
  case .sequence, .dictionary:
    throw DataError.unsupportedNumpyType(
      path: path, dtype: "structured",
      reason: "structured (record) arrays are not supported; save one numeric array per file")
  default: throw malformed("'descr' is not a string")
  }

  guard case .boolean(let fortranOrder) = keys["fortran_order"] else {
    throw malformed("'fortran_order' is missing or not True/False")
  }
  guard case .sequence(let dimensions) = keys["shape"] else {
    throw malformed("'shape' is missing or not a tuple")
  }
  var shape: [Int] = []
  for dimension in dimensions {
    guard case .integer(let size) = dimension, size >= 0 else {
      throw malformed("'shape' must hold non-negative integers")
    }
    shape.append(size)
  }
  return NumpyHeader(descriptor: descriptor, fortranOrder: fortranOrder, shape: shape)
}

/// Reorders elements stored first axis fastest into last axis fastest.
func rowMajor<Element: Numeric>(fromColumnMajor values: [Element], shape: [Int]) -> [Element] {
  guard !values.isEmpty else { return values }
  var rowMajorStrides = [Int](repeating: 1, count: shape.count)
  for axis in stride(from: shape.count - 2, through: 0, by: -1) {
    rowMajorStrides[axis] = rowMajorStrides[axis + 1] * shape[axis + 1]
  }
  var result = [Element](repeating: 0, count: values.count)
  var index = [Int](repeating: 0, count: shape.count)
  var target = 0
  for value in values {
    result[target] = value
    // Advance the multi-index with the first axis fastest, tracking the row-major offset.
    for axis in 0..<shape.count {
      index[axis] += 1
      target += rowMajorStrides[axis]
      if index[axis] < shape[axis] { break }
      target -= rowMajorStrides[axis] * shape[axis]
      index[axis] = 0
    }
  }
  return result
}
