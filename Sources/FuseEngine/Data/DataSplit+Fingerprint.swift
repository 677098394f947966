extension DataSplit {
  /// A 64-bit digest of the split's features and labels, written `fnv1a64:` and 16 hex digits:
  /// FNV-1a over 32-bit words (each feature's bit pattern, modality after modality, then
  /// each label), with the shape of each matrix mixed in first.
  ///
  /// A checkpoint keeps the train split's, so that loading it beside other data, or a
  /// resumed run on other data, is refused. Equal features give equal digests; a changed
  /// feature or label gives another one, except by a chance of about 2^-64.
  public var fingerprint: String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ word: UInt32) {
      hash = (hash ^ UInt64(word)) &* 0x0000_0100_0000_01b3
    }
    for matrix in features {
      mix(UInt32(truncatingIfNeeded: matrix.rows))
      mix(UInt32(truncatingIfNeeded: matrix.columns))
      matrix.values.withUnsafeBufferPointer { values in
        for value in values { mix(value.bitPattern) }
      }
    }
    for label in labels { mix(UInt32(truncatingIfNeeded: label)) }
    // Regression targets; a classification split has none, so its fingerprint is unchanged.
    for target in targets { mix(target.bitPattern) }
    let digits = String(hash, radix: 16)
    return "fnv1a64:" + String(repeating: "0", count: 16 - digits.count) + digits
  }
}
