/// The element types the safetensors format defines, by their names in the header.
///
/// All multi-byte types are little-endian. `F8_E4M3` is the "fn" variant (no
/// infinities, NaN at 0x7F and 0xFF), as PyTorch's `float8_e4m3fn`.
public enum SafeTensorDType: String, CaseIterable, Sendable {
  case bool = "BOOL"
  case u8 = "U8"
  case i8 = "I8"
  case f8E5M2 = "F8_E5M2"
  case f8E4M3 = "F8_E4M3"
  case i16 = "I16"
  case u16 = "U16"
  case f16 = "F16"
  case bf16 = "BF16"
  case i32 = "I32"
  case u32 = "U32"
  case f32 = "F32"
  case f64 = "F64"
  case i64 = "I64"
  case u64 = "U64"

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .bool, .u8, .i8, .f8E5M2, .f8E4M3: return 1
    case .i16, .u16, .f16, .bf16: return 2
    case .i32, .u32, .f32: return 4
    case .f64, .i64, .u64: return 8
    }
  }

  /// Converts `count` elements starting at `bytes` to Float32.
  ///
  /// Integers beyond 2^24 and doubles lose precision, as any conversion to Float32 does.
  func decode(_ bytes: UnsafeRawBufferPointer, count: Int, into output: inout [Float]) {
    output = [Float](repeating: 0, count: count)
    output.withUnsafeMutableBufferPointer { out in
      func each<T>(_ type: T.Type, _ convert: (T) -> Float) {
        for index in 0..<count {
          out[index] = convert(bytes.loadUnaligned(fromByteOffset: index * size, as: type))
        }
      }
      switch self {
      case .bool: each(UInt8.self) { $0 == 0 ? 0 : 1 }
      case .u8: each(UInt8.self) { Float($0) }
      case .i8: each(Int8.self) { Float($0) }
      case .f8E5M2: each(UInt8.self) { Float(halfToDouble(UInt16($0) << 8)) }
      case .f8E4M3: each(UInt8.self) { float8E4M3ToFloat($0) }
      case .i16: each(Int16.self) { Float(Int16(littleEndian: $0)) }
      case .u16: each(UInt16.self) { Float(UInt16(littleEndian: $0)) }
      case .f16: each(UInt16.self) { Float(halfToDouble(UInt16(littleEndian: $0))) }
      case .bf16: each(UInt16.self) { Float(bitPattern: UInt32(UInt16(littleEndian: $0)) << 16) }
      case .i32: each(Int32.self) { Float(Int32(littleEndian: $0)) }
      case .u32: each(UInt32.self) { Float(UInt32(littleEndian: $0)) }
      case .f32: each(UInt32.self) { Float(bitPattern: UInt32(littleEndian: $0)) }
      case .f64: each(UInt64.self) { Float(Double(bitPattern: UInt64(littleEndian: $0))) }
      case .i64: each(Int64.self) { Float(Int64(littleEndian: $0)) }
      case .u64: each(UInt64.self) { Float(UInt64(littleEndian: $0)) }
      }
    }
  }
}

/// Decodes an 8-bit float with 4 exponent bits (bias 7) and 3 fraction bits, "fn" variant.
func float8E4M3ToFloat(_ bits: UInt8) -> Float {
  let sign: Float = bits & 0x80 == 0 ? 1 : -1
  let exponent = Int((bits >> 3) & 0x0F)
  let fraction = Float(bits & 0x07)
  if exponent == 0x0F && bits & 0x07 == 0x07 { return .nan }
  if exponent == 0 { return sign * fraction / 8 * 0x1p-6 }
  return sign * (1 + fraction / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
}
