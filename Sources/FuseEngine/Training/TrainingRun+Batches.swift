/// What each step of an epoch reads and reports: the batch gathered in the shuffled order,
/// and the gradient norms of the step.
extension TrainingRun {
  /// Puts the answers (class labels, or regression targets) and the features of the samples
  /// at `positions` of the shuffled order into `batchLabels` or `batchTargets`, and
  /// `batchInputs`.
  func gatherBatch(_ positions: Range<Int>) {
    order.withUnsafeBufferPointer { order in
      let samples = UnsafeBufferPointer(rebasing: order[positions])
      batchLabels.removeAll(keepingCapacity: true)
      batchTargets.removeAll(keepingCapacity: true)
      if loss == .crossEntropy {
        for sample in samples { batchLabels.append(trainLabels[sample]) }
      } else {
        for sample in samples { batchTargets.append(trainTargets[sample]) }
      }
      for m in batchInputs.indices {
        if let tokens = trainTokens[m] {
          batchText[m]!.tokens.removeAll(keepingCapacity: true)
          for sample in samples { batchText[m]!.tokens.append(tokens[sample]) }
          batchText[m]!.lowestBlock = lowestBlocks[m]
        } else {
          batchInputs[m].gatherRows(of: trainFeatures[m], at: samples)
        }
      }
    }
  }
}

extension TrainingRun {
  /// Adds the step's gradient norm of each modality to `norms`: the L2 norm over all the
  /// modality's groups, sqrt of the sum of their squared norms; each group's own to
  /// `groupGradientNorms`.
  func addGradientNorms(into norms: inout [Double]) {
    for m in modalityGradientSquares.indices { modalityGradientSquares[m] = 0 }
    for g in plans.indices {
      let norm = optimizer.gradientNorms[g]
      groupGradientNorms[g] += norm
      guard let m = plans[g].modality else { continue }
      modalityGradientSquares[m] += norm * norm
    }
    for m in norms.indices {
      // A modality of one group keeps that group's norm exactly.
      norms[m] +=
        groupCounts[m] == 1
        ? optimizer.gradientNorms[primaryGroups[m]] : modalityGradientSquares[m].squareRoot()
    }
  }
}
