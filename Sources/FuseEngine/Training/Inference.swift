import FuseFormat

/// Predictions of a model on a whole split, computed in chunks in evaluation mode: the
/// predicted classes, or for regression the predicted values (the class lists are then
/// zeros).
struct SplitPredictions {
  var loss: Double
  var fused: [Int]
  var branchLosses: [Double]
  var branches: [[Int]]
  var fusedValues: [Float] = []
  var branchValues: [[Float]] = []
}

/// The rows evaluated together; bounds the memory of activations on large splits.
let inferenceChunk = 1024

/// Runs the model without dropout on standardised features (one matrix per branch); a
/// branch whose entry of `tokens` is not nil runs its text encoder on those token ids
/// instead, a chunk at a time. `classWeights` weight the fused loss as in training (the
/// branch losses stay unweighted). A regression model is scored with `loss` against
/// `targets` instead of `labels`.
///
/// - Throws: `EncoderError.badTokens` for token ids the encoder cannot read.
func predict(
  _ model: FusionModel, features: [Matrix], tokens: [[[Int]]?] = [], labels: [Int],
  targets: [Float] = [], loss: LossFunction = .crossEntropy, classWeights: [Float]? = nil
) throws -> SplitPredictions {
  if loss != .crossEntropy {
    return try predictValues(
      model, features: features, tokens: tokens, targets: targets, loss: loss)
  }
  let count = labels.count
  let branchCount = model.branches.count
  var result = SplitPredictions(
    loss: 0, fused: Array(repeating: 0, count: count),
    branchLosses: Array(repeating: 0, count: branchCount),
    branches: Array(repeating: Array(repeating: 0, count: count), count: branchCount))
  guard count > 0 else { return result }

  var scratch = Matrix(rows: 0, columns: 0)
  var chunkLabels: [Int] = []
  try forEachChunk(of: model, features: features, tokens: tokens, count: count) {
    rows, m, logits in
    if m == 0 { chunkLabels = Array(labels[rows]) }
    let loss = softmaxCrossEntropy(logits: logits, labels: chunkLabels, gradient: &scratch)
    result.branchLosses[m] += Double(loss) * Double(rows.count)
    argmaxRows(logits, into: &result.branches[m], offset: rows.lowerBound)
  } fused: { rows, fused in
    let loss = softmaxCrossEntropy(
      logits: fused, labels: chunkLabels, gradient: &scratch, classWeights: classWeights)
    result.loss += Double(loss) * chunkWeight(chunkLabels, classWeights)
    argmaxRows(fused, into: &result.fused, offset: rows.lowerBound)
  }
  let totalWeight = chunkWeight(labels, classWeights)
  result.loss = totalWeight > 0 ? result.loss / totalWeight : 0
  for m in 0..<branchCount { result.branchLosses[m] /= Double(count) }
  return result
}

/// Runs `model` in evaluation mode over the first `count` rows of `features` (or of
/// `tokens`, for a branch that runs its encoder), in chunks of `inferenceChunk` rows:
/// `branch(rows, m, logits)` sees branch m's logits of each chunk, then `fused(rows,
/// logits)` the weighted sum of them. An encoder's memory is bounded by the chunk.
private func forEachChunk(
  of model: FusionModel, features: [Matrix], tokens: [[[Int]]?], count: Int,
  branch: (Range<Int>, Int, Matrix) -> Void, fused: (Range<Int>, Matrix) -> Void
) throws {
  var unused = SeededGenerator(seed: 0)
  var input = Matrix(rows: 0, columns: 0)
  var sum = Matrix(rows: 0, columns: 0)
  for start in stride(from: 0, to: count, by: inferenceChunk) {
    let rows = start..<min(start + inferenceChunk, count)
    for (m, layers) in model.branches.enumerated() {
      if m < tokens.count, let texts = tokens[m] {
        input = try layers.encodedFeatures(Array(texts[rows]))
      } else {
        input.gatherRows(of: features[m], at: rows)
      }
      layers.forward(input, training: false, generator: &unused)
      branch(rows, m, layers.logits)
      accumulate(layers.logits, weight: model.fusionWeights[m], into: &sum, first: m == 0)
    }
    fused(rows, sum)
  }
}

/// `predict` for a regression model: each branch's and the fused outputs, and their mean
/// errors under `loss`.
private func predictValues(
  _ model: FusionModel, features: [Matrix], tokens: [[[Int]]?], targets: [Float],
  loss: LossFunction
) throws -> SplitPredictions {
  let count = targets.count
  let branchCount = model.branches.count
  var result = SplitPredictions(
    loss: 0, fused: [], branchLosses: Array(repeating: 0, count: branchCount), branches: [],
    fusedValues: Array(repeating: 0, count: count),
    branchValues: Array(repeating: Array(repeating: 0, count: count), count: branchCount))
  guard count > 0 else { return result }

  var chunkTargets: [Float] = []
  try forEachChunk(of: model, features: features, tokens: tokens, count: count) {
    rows, m, outputs in
    if m == 0 { chunkTargets = Array(targets[rows]) }
    let branchLoss = regressionLoss(loss, predictions: outputs, targets: chunkTargets)
    result.branchLosses[m] += Double(branchLoss) * Double(rows.count)
    result.branchValues[m].replaceSubrange(rows, with: outputs.values)
  } fused: { rows, fused in
    let fusedLoss = regressionLoss(loss, predictions: fused, targets: chunkTargets)
    result.loss += Double(fusedLoss) * Double(rows.count)
    result.fusedValues.replaceSubrange(rows, with: fused.values)
  }
  result.loss /= Double(count)
  for m in 0..<branchCount { result.branchLosses[m] /= Double(count) }
  return result
}

extension FusionModel {
  /// The fused logits, sum over m of w_m * f_m(x_m), of every row of `features` (one matrix
  /// per branch, as a split holds them), in evaluation mode and as one batch.
  ///
  /// A branch that fine-tunes its text encoder reads features too, which are its encoder's
  /// output only while the encoder holds its pretrained weights (`evaluate` runs a moved
  /// encoder itself).
  ///
  /// The result goes into `logits`, reshaped to rows x classes. The layers keep their own
  /// buffers, so a repeated call on inputs of the same size allocates only the standardised
  /// copy of the features that a branch with `standardize` makes.
  public func fusedLogits(_ features: [Matrix], into logits: inout Matrix) {
    precondition(features.count == branches.count, "one feature matrix per branch")
    var unused = SeededGenerator(seed: 0)
    for (m, branch) in branches.enumerated() {
      branch.forward(branch.standardized(features[m]), training: false, generator: &unused)
      accumulate(branch.logits, weight: fusionWeights[m], into: &logits, first: m == 0)
    }
  }
}

/// The number of samples, or the sum of their class weights (in double precision, which
/// large weights do not overflow).
private func chunkWeight(_ labels: [Int], _ classWeights: [Float]?) -> Double {
  guard let classWeights else { return Double(labels.count) }
  return labels.reduce(0) { $0 + Double(classWeights[$1]) }
}

/// `sum = weight * logits` when `first`, else `sum += weight * logits`.
func accumulate(_ logits: Matrix, weight: Float, into sum: inout Matrix, first: Bool) {
  if first { sum.reshape(rows: logits.rows, columns: logits.columns) }
  logits.values.withUnsafeBufferPointer { z in
    sum.values.withUnsafeMutableBufferPointer { s in
      if first {
        for index in 0..<z.count { s[index] = weight * z[index] }
      } else {
        for index in 0..<z.count { s[index] += weight * z[index] }
      }
    }
  }
}

/// The split's features, each standardised by its branch (once per call, not per batch).
func standardizedFeatures(of split: DataSplit, for model: FusionModel) -> [Matrix] {
  zip(model.branches, split.features).map { $0.standardized($1) }
}

func requireSplit(_ name: String, of dataset: Dataset) throws -> DataSplit {
  guard let split = dataset.splits[name] else {
    throw EngineError.unknownSplit(name, available: dataset.splits.keys.sorted())
  }
  guard split.features.count == dataset.modalities.count else {
    throw EngineError.dataMismatch(
      "split '\(name)' has \(split.features.count) feature matrices for "
        + "\(dataset.modalities.count) modalities")
  }
  for (matrix, modality) in zip(split.features, dataset.modalities) {
    guard matrix.rows == split.count, matrix.columns == modality.dimension else {
      throw EngineError.dataMismatch(
        "split '\(name)', modality '\(modality.name)': features are \(matrix.rows) x "
          + "\(matrix.columns), expected \(split.count) x \(modality.dimension)")
    }
  }
  for (matrix, modality) in zip(split.features, dataset.modalities) {
    if let index = matrix.values.firstIndex(where: { !$0.isFinite }) {
      throw EngineError.dataMismatch(
        "split '\(name)', modality '\(modality.name)': sample \(index / matrix.columns), "
          + "feature \(index % matrix.columns) is \(formatNumber(matrix.values[index])); "
          + "features must be finite numbers")
    }
  }
  if dataset.task == .regression {
    guard split.labels.isEmpty, split.targets.count == split.count else {
      throw EngineError.dataMismatch(
        "split '\(name)' of a regression data set needs one target per sample")
    }
    if let index = split.targets.firstIndex(where: { !$0.isFinite }) {
      throw EngineError.dataMismatch(
        "split '\(name)': the target of sample \(index) is "
          + "\(formatNumber(split.targets[index])); targets must be finite numbers")
    }
    return split
  }
  if let bad = split.labels.first(where: { $0 < 0 || $0 >= dataset.classNames.count }) {
    throw EngineError.dataMismatch(
      "split '\(name)' has label \(bad), outside 0..<\(dataset.classNames.count)")
  }
  return split
}

/// Scores the fused model and each branch (on its own logits) on a split.
///
/// A regression model is scored by its mean squared and absolute errors, Pearson's r and
/// binary accuracy (see `RegressionMetrics`); its report's `loss` is the mean squared error,
/// whatever loss it was trained on.
public func evaluate(_ model: FusionModel, on data: Dataset, split name: String) throws
  -> EvaluationReport
{
  try model.check(data)
  let split = try requireSplit(name, of: data)
  let inputs = try evaluationInputs(of: split, name: name, for: model)
  if model.task == .regression {
    return try evaluateRegression(model, split: split, name: name, inputs: inputs)
  }
  let predictions = try predict(
    model, features: inputs.features, tokens: inputs.tokens, labels: split.labels)
  let classCount = model.classNames.count
  return EvaluationReport(
    split: name, classNames: model.classNames, loss: predictions.loss,
    fused: ClassificationMetrics(
      labels: split.labels, predictions: predictions.fused, classCount: classCount),
    branches: model.branches.indices.map { m in
      BranchReport(
        modality: model.modalities[m].name, loss: predictions.branchLosses[m],
        metrics: ClassificationMetrics(
          labels: split.labels, predictions: predictions.branches[m], classCount: classCount))
    }, threadCount: matrixThreadCount)
}

private func evaluateRegression(
  _ model: FusionModel, split: DataSplit, name: String,
  inputs: (features: [Matrix], tokens: [[[Int]]?])
) throws -> EvaluationReport {
  let predictions = try predict(
    model, features: inputs.features, tokens: inputs.tokens, labels: [],
    targets: split.targets, loss: .meanSquaredError)
  let empty = ClassificationMetrics(labels: [], predictions: [], classCount: 0)
  let fused = RegressionMetrics(targets: split.targets, predictions: predictions.fusedValues)
  // The losses are the mean squared errors, in double precision as the metrics sum them.
  return EvaluationReport(
    split: name, classNames: [], loss: fused.meanSquaredError, fused: empty,
    branches: model.branches.indices.map { m in
      let own = RegressionMetrics(targets: split.targets, predictions: predictions.branchValues[m])
      return BranchReport(
        modality: model.modalities[m].name, loss: own.meanSquaredError, metrics: empty,
        regression: own)
    },
    regression: fused, threadCount: matrixThreadCount)
}
