/// The element type of a `.npy` array, read from its descriptor such as `>i4`.
struct NumpyElementType {
  enum Kind {
    case boolean, signed, unsigned, float
  }

  var kind: Kind
  var size: Int
  var bigEndian: Bool

  init(descriptor: String, path: String) throws {
    func unsupported(_ reason: String) -> DataError {
      .unsupportedNumpyType(path: path, dtype: descriptor, reason: reason)
    }

    var rest = Substring(descriptor)
    var order: Character = "|"
    if let first = rest.first, "<>|=".contains(first) {
      order = first
      rest = rest.dropFirst()
    }
    guard let kindCode = rest.first else { throw unsupported("the descriptor is empty") }
    let sizeText = rest.dropFirst()

    switch kindCode {
    case "b": kind = .boolean
    case "i": kind = .signed
    case "u": kind = .unsigned
    case "f": kind = .float
    case "c": throw unsupported("complex numbers are not supported; save the real part")
    case "O": throw unsupported("object arrays are not supported; save a numeric array")
    case "S", "a", "U":
      throw unsupported("string arrays are not supported; labels go in labels.csv or labels.txt")
    case "V": throw unsupported("raw (void) and structured arrays are not supported")
    case "M", "m": throw unsupported("dates and time spans are not supported")
    default: throw unsupported("unknown type code '\(kindCode)'")
    }

    guard let size = Int(sizeText) else { throw unsupported("no item size after the type code") }
    let allowed: [Int]
    switch kind {
    case .boolean: allowed = [1]
    case .signed, .unsigned: allowed = [1, 2, 4, 8]
    case .float: allowed = [2, 4, 8]
    }
    guard allowed.contains(size) else {
      let detail =
        kind == .float && size > 8
        ? "long double (float\(size * 8)) is not supported; save as float64"
        : "an item size of \(size) bytes is not supported for this kind"
      throw unsupported(detail)
    }
    self.size = size
    // '=' is the writer's own order; FuseLab only runs on little-endian machines.
    bigEndian = order == ">"
  }

  /// Decodes `count` elements from `data` into doubles.
  func decode(_ data: UnsafeRawBufferPointer, count: Int) -> [Double] {
    var values = [Double](repeating: 0, count: count)
    values.withUnsafeMutableBufferPointer { output in
      for index in 0..<count {
        output[index] = element(data, at: index * size)
      }
    }
    return values
  }

  /// Decodes `count` elements from `data` into 32-bit floats, each rounded from its double
  /// as `decode` gives it; little-endian float32, the common case, is copied as it is.
  func decodeFloats(_ data: UnsafeRawBufferPointer, count: Int) -> [Float] {
    if kind == .float, size == 4, !bigEndian {
      return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: data[0..<(count * 4)]))
        initialized = count
      }
    }
    var values = [Float](repeating: 0, count: count)
    values.withUnsafeMutableBufferPointer { output in
      for index in 0..<count {
        output[index] = Float(element(data, at: index * size))
      }
    }
    return values
  }

  private func bits(_ data: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
    switch size {
    case 1:
      return UInt64(data[offset])
    case 2:
      let raw = data.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
      return UInt64(bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw))
    case 4:
      let raw = data.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
      return UInt64(bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
    default:
      let raw = data.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      return bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw)
    }
  }

  private func element(_ data: UnsafeRawBufferPointer, at offset: Int) -> Double {
    let raw = bits(data, at: offset)
    switch (kind, size) {
    case (.boolean, _): return raw == 0 ? 0 : 1
    case (.unsigned, _): return Double(raw)
    case (.signed, 1): return Double(Int8(truncatingIfNeeded: raw))
    case (.signed, 2): return Double(Int16(truncatingIfNeeded: raw))
    case (.signed, 4): return Double(Int32(truncatingIfNeeded: raw))
    case (.signed, _): return Double(Int64(bitPattern: raw))
    case (.float, 2): return halfToDouble(UInt16(truncatingIfNeeded: raw))
    case (.float, 4): return Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
    default: return Double(bitPattern: raw)
    }
  }
}

/// Converts IEEE 754 half-precision bits to a double, subnormals, infinities and NaN included.
func halfToDouble(_ bits: UInt16) -> Double {
  let sign: Double = bits & 0x8000 == 0 ? 1 : -1
  let exponent = Int((bits >> 10) & 0x1F)
  let fraction = Double(bits & 0x03FF)
  switch exponent {
  case 0: return sign * fraction * 0x1p-24
  case 0x1F: return fraction == 0 ? sign * .infinity : .nan
  default:
    let scale = Double(sign: .plus, exponent: exponent - 15, significand: 1)
    return sign * (1 + fraction / 1024) * scale
  }
}
