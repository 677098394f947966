extension DataSplit {
  /// A 64-bit digest of the split's features and labels, written `fnv1a64:` and 16 hex digits:
  /// FNV-1a over 32-bit words (each feature's bit pattern, modality after modality, then
  /// each label), with the shape of each matrix mixed in first.
  ///
  /// A checkpoint keeps the train split's, so that loading it beside other data, or a
  /// resumed run on other data, is refused. Equal features give equal digests; a changed
  /// feature or label gives another one, except by a chance of about 2^-64.
  public var fingerprint: String {
    var digest = FNV1a64()
    for matrix in features {
      digest.mix(UInt32(truncatingIfNeeded: matrix.rows))
      digest.mix(UInt32(truncatingIfNeeded: matrix.columns))
      digest.mix(matrix.values)
    }
    for label in labels { digest.mix(UInt32(truncatingIfNeeded: label)) }
    // Regression targets; a classification split has none, so its fingerprint is unchanged.
    for target in targets { digest.mix(target.bitPattern) }
    // The token ids of text modalities, which a fine-tuned encoder reads instead of the
    // features; a split without text has none, so its fingerprint is unchanged too.
    for name in tokenIDs.keys.sorted() {
      digest.mix(name)
      for sequence in tokenIDs[name]! {
        digest.mix(UInt32(truncatingIfNeeded: sequence.count))
        for token in sequence { digest.mix(UInt32(truncatingIfNeeded: token)) }
      }
    }
    return "fnv1a64:" + digest.hex
  }
}
