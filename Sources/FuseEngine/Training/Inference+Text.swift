/// What the branches of a model read from a split when some of them fine-tune a text
/// encoder: features, or token ids for the encoder to run on.
///
/// A branch that fine-tunes reads the modality's features (the pretrained encoder's
/// embeddings, computed once) as long as its encoder holds the pretrained weights, so that
/// a frozen encoder costs nothing; once the encoder has moved, it runs the encoder itself.

/// The token ids of each branch that `running` marks (nil for the others), checked: one
/// sequence per sample, each one the branch's encoder can read.
///
/// - Throws: `EngineError.dataMismatch` naming the split and modality when the split lacks
///   the ids or has another count of them, or holds ids the encoder cannot read.
func encoderTokens(
  of split: DataSplit, name: String, for model: FusionModel, running: [Bool]
) throws -> [[[Int]]?] {
  try model.branches.indices.map { m in
    guard running[m], let encoder = model.branches[m].textEncoder else { return nil }
    let modality = model.modalities[m].name
    guard let tokens = split.tokenIDs[modality], tokens.count == split.count else {
      throw EngineError.dataMismatch(
        "split '\(name)' has no token ids of one text per sample for modality '\(modality)', "
          + "whose encoder the model fine-tunes")
    }
    do {
      try encoder.validate(tokens)
    } catch {
      throw EngineError.dataMismatch("split '\(name)', modality '\(modality)': \(error)")
    }
    return tokens
  }
}

/// Each branch's standardised features of `split`: the split's own, or for a branch that
/// fine-tunes an encoder no longer at its pretrained weights, its encoder's embeddings of
/// the split's token ids. A branch that `running` marks reads token ids instead, and gets
/// an empty matrix.
func branchFeatures(
  of split: DataSplit, name: String, for model: FusionModel, running: [Bool]
) throws -> [Matrix] {
  var moved = model.branches.map { $0.fineTunes && !$0.encoderIsPretrained }
  for m in moved.indices where running[m] { moved[m] = false }
  let tokens = try encoderTokens(of: split, name: name, for: model, running: moved)
  return try model.branches.indices.map { m in
    let branch = model.branches[m]
    if running[m] { return Matrix(rows: 0, columns: 0) }
    if let texts = tokens[m] { return try branch.encodedFeatures(texts) }
    return branch.standardized(split.features[m])
  }
}

/// What `evaluate` reads: features for every branch, but token ids for a branch whose
/// encoder has moved from its pretrained weights, which runs it a chunk at a time.
func evaluationInputs(of split: DataSplit, name: String, for model: FusionModel) throws -> (
  features: [Matrix], tokens: [[[Int]]?]
) {
  let running = model.branches.map { $0.fineTunes && !$0.encoderIsPretrained }
  return (
    try branchFeatures(of: split, name: name, for: model, running: running),
    try encoderTokens(of: split, name: name, for: model, running: running)
  )
}
