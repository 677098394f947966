extension TrainingRun {
  /// The statistics of an epoch whose dev split scored `dev`.
  func epochStats(
    _ epoch: Int, trainLoss: Double, dev: SplitPredictions, start: [[Matrix]],
    startNorms: [Double], gradientNorms: [Double]
  ) -> EpochStats {
    let classCount = model.classNames.count
    let trainMetrics = ClassificationMetrics(
      labels: epochLabels, predictions: epochPredictions, classCount: classCount)
    let devMetrics = ClassificationMetrics(
      labels: devLabels, predictions: dev.fused, classCount: classCount)

    let branchStats = model.branches.indices.map { m -> BranchEpochStats in
      let branch = model.branches[m]
      var change = 0.0
      for (parameter, before) in zip(branch.parameters, start[m]) {
        for index in before.values.indices {
          let delta = Double(parameter.value.values[index]) - Double(before.values[index])
          change += delta * delta
        }
      }
      let branchDev = ClassificationMetrics(
        labels: devLabels, predictions: dev.branches[m], classCount: classCount)
      let trainCorrect = zip(epochLabels, branchPredictions[m]).filter { $0 == $1 }.count
      return BranchEpochStats(
        modality: model.modalities[m].name, learningRate: optimizer.groups[m].learningRate,
        gradientNorm: gradientNorms[m],
        updateRatio: startNorms[m] > 0 ? change.squareRoot() / startNorms[m] : 0,
        trainAccuracy: Double(trainCorrect) / Double(epochLabels.count),
        devAccuracy: branchDev.accuracy, devMacroF1: branchDev.macroF1,
        devWeightedF1: branchDev.weightedF1)
    }
    var stats = EpochStats(
      epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainMetrics.accuracy,
      trainMacroF1: trainMetrics.macroF1, trainWeightedF1: trainMetrics.weightedF1,
      devLoss: dev.loss, devAccuracy: devMetrics.accuracy, devMacroF1: devMetrics.macroF1,
      devWeightedF1: devMetrics.weightedF1, branches: branchStats)
    stats.fusionWeights = model.fusionWeights
    if fusionParameter != nil { stats.fusionLearningRate = optimizer.groups.last?.learningRate }
    return stats
  }
}
