/// FNV-1a, 64 bits, over 32-bit words: the digest behind split fingerprints and the keys
/// of cached sentence embeddings.
///
/// It is fast and stable across runs and machines, which is all these uses need; it is not
/// a cryptographic hash, so it only tells apart inputs that were not made to collide.
struct FNV1a64 {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func mix(_ word: UInt32) {
    value = (value ^ UInt64(word)) &* 0x0000_0100_0000_01b3
  }

  /// A whole number as two words, low then high, so that no integer is cut short.
  mutating func mix(_ integer: Int) {
    let bits = UInt64(bitPattern: Int64(integer))
    mix(UInt32(truncatingIfNeeded: bits))
    mix(UInt32(truncatingIfNeeded: bits >> 32))
  }

  /// A string as its length, then its UTF-8 bytes one word each, so that `"ab", "c"` and
  /// `"a", "bc"` differ.
  mutating func mix(_ text: String) {
    mix(text.utf8.count)
    for byte in text.utf8 { mix(UInt32(byte)) }
  }

  mutating func mix(_ values: [Float]) {
    values.withUnsafeBufferPointer { buffer in
      for value in buffer { mix(value.bitPattern) }
    }
  }

  /// The digest as 16 hexadecimal digits.
  var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
